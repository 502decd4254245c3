#pragma once

#include <QObject>
#include <QPointer>
#include <QThread>
#include <functional>
#include <memory>
#include <optional>

#include "station/checkin/checkin.h"
#include "station/identity/identity_engine.h"
#include "station/station.h"
#include "station/station_config.h"

namespace examguard::console {

// What a job on the station thread works with: its own connection to the station (SQLite in
// WAL mode lets the GUI thread read meanwhile), the settings, and the face models, loaded on
// first use because they take a second or two.
class StationContext {
public:
    explicit StationContext(station::StationOptions options) : m_options(std::move(options)) {}

    station::Expected<station::Station*> station();
    station::Expected<const station::StationConfig*> config();
    station::Expected<station::identity::IdentityEngine*> engine();
    // The check-in service over this thread's station, with the thresholds from the settings
    // and the engine's model; reference photos are described once per service.
    station::Expected<station::checkin::CheckinService*> checkinService();
    // The folder-drop ID-card reader of the settings; nullptr when none is configured.
    station::Expected<station::checkin::IdCardReader*> cardReader(
        std::chrono::year_month_day today);

private:
    station::StationOptions m_options;
    std::optional<station::Station> m_station;
    std::optional<station::StationConfig> m_config;
    std::optional<station::identity::IdentityEngine> m_engine;
    std::unique_ptr<station::checkin::CheckinService> m_service;
    std::unique_ptr<station::platform::CurlTransport> m_transport;
    std::unique_ptr<station::platform::PlatformOutbox> m_outbox;
    std::unique_ptr<station::checkin::IdCardReader> m_reader;
    std::optional<std::chrono::year_month_day> m_readerDay;
};

// The one thread where the console's long work runs (password hashing, face analysis, sealing,
// verification), so the GUI thread only paints and reads small queries. Jobs run in the order
// posted; each result comes back on the receiver's thread, and is dropped if the receiver is
// gone by then.
class StationThread final : public QObject {
    Q_OBJECT
public:
    explicit StationThread(station::StationOptions options, QObject* parent = nullptr);
    ~StationThread() override;

    template <typename Result>
    void post(QObject* receiver, std::function<Result(StationContext&)> job,
              std::function<void(Result)> done) {
        QPointer<QObject> guard(receiver);
        QMetaObject::invokeMethod(
            m_worker,
            [this, guard, job = std::move(job), done = std::move(done)]() mutable {
                auto result = std::make_shared<Result>(job(*m_context));
                // Back through this object, which outlives the worker (stop() joins it); the
                // guard is read on the GUI thread only, where receivers are destroyed.
                QMetaObject::invokeMethod(
                    this,
                    [guard, done = std::move(done), result] {
                        if (guard) {
                            done(std::move(*result));
                        }
                    },
                    Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }

    // Waits for the running job and drops the queued ones; the owner calls this before the
    // receivers of results are destroyed.
    void stop();

private:
    QThread m_thread;
    QObject* m_worker;
    std::unique_ptr<StationContext> m_context;
};

}  // namespace examguard::console
