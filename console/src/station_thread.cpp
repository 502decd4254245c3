#include "console/station_thread.h"

namespace examguard::console {

namespace identity = station::identity;
namespace checkin = station::checkin;

station::Expected<station::Station*> StationContext::station() {
    if (!m_station) {
        auto opened = station::Station::open(m_options);
        if (!opened) {
            return tl::unexpected(opened.error());
        }
        m_station.emplace(std::move(*opened));
    }
    return &*m_station;
}

station::Expected<const station::StationConfig*> StationContext::config() {
    if (!m_config) {
        auto loaded =
            station::loadStationConfig(station::defaultConfigPath(m_options.databasePath));
        if (!loaded) {
            return tl::unexpected(loaded.error());
        }
        m_config.emplace(std::move(*loaded));
    }
    return &*m_config;
}

station::Expected<identity::IdentityEngine*> StationContext::engine() {
    if (!m_engine) {
        auto created = identity::IdentityEngine::create();
        if (!created) {
            return tl::unexpected(created.error());
        }
        m_engine.emplace(std::move(*created));
    }
    return &*m_engine;
}

station::Expected<checkin::CheckinService*> StationContext::checkinService() {
    if (m_service) {
        return m_service.get();
    }
    auto st = station();
    auto cfg = st ? config() : tl::unexpected(st.error());
    auto eng = cfg ? engine() : tl::unexpected(cfg.error());
    if (!eng) {
        return tl::unexpected(eng.error());
    }
    auto service = std::make_unique<checkin::CheckinService>(
        **st, checkin::thresholdsFrom(**cfg, (*eng)->threshold()));
    if ((*cfg)->platform.enabled) {
        // Queued only, as at the CLI: `examguard platform drain` sends, so a platform outage
        // never holds up the queue at the door.
        station::platform::PlatformConfig pc;
        pc.appId = (*cfg)->platform.appId;
        m_transport = std::make_unique<station::platform::CurlTransport>();
        m_outbox = std::make_unique<station::platform::PlatformOutbox>(**st, pc, *m_transport);
        service->setPlatformOutbox(m_outbox.get());
    }
    int faceless = 0;
    if (auto added = identity::describeReferencePhotos(**eng, *service, std::nullopt, &faceless);
        !added) {
        return tl::unexpected(added.error());
    }
    m_service = std::move(service);
    return m_service.get();
}

station::Expected<checkin::IdCardReader*> StationContext::cardReader(
    std::chrono::year_month_day today) {
    auto cfg = config();
    if (!cfg) {
        return tl::unexpected(cfg.error());
    }
    if ((*cfg)->idCard.dropFolder.empty()) {
        return nullptr;
    }
    if (!m_reader || m_readerDay != today) {  // expiry is judged against the current date
        m_reader = std::make_unique<checkin::FolderDropReader>((*cfg)->idCard.dropFolder, today);
        m_readerDay = today;
    }
    return m_reader.get();
}

StationThread::StationThread(station::StationOptions options, QObject* parent)
    : QObject(parent),
      m_worker(new QObject),
      m_context(std::make_unique<StationContext>(std::move(options))) {
    m_thread.setObjectName(QStringLiteral("examguard-station"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
}

StationThread::~StationThread() {
    stop();
}

void StationThread::stop() {
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait();
    }
}

}  // namespace examguard::console
