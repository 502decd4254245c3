#include "console/camera_sources.h"

#include <map>
#include <utility>

#include "station/camera_config.h"

namespace examguard::console {

station::Expected<std::vector<CameraSource>> cameraSources(station::Station& station,
                                                           const station::StationConfig& config,
                                                           std::int64_t sittingId) {
    auto cameras = station::camerasOfSitting(station, sittingId);
    if (!cameras) {
        return tl::unexpected(cameras.error());
    }
    std::map<std::pair<std::string, std::string>, std::string> urls;
    if (const auto& path = config.cameras.monitorConfig; !path.empty()) {
        auto monitor = station::loadMonitorConfig(path);
        if (!monitor) {
            return tl::unexpected(monitor.error());
        }
        for (const auto& c : monitor->cameras) {
            urls[{c.room, c.code}] = c.url;
        }
    }
    std::vector<CameraSource> sources;
    for (auto& camera : *cameras) {
        auto it = urls.find({camera.room, camera.code});
        std::string live = it != urls.end() ? it->second : camera.storedStream;
        sources.push_back({std::move(camera), std::move(live)});
    }
    return sources;
}

}  // namespace examguard::console
