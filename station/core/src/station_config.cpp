#include "station/station_config.h"

#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "station/file_io.h"

namespace examguard::station {

namespace {

constexpr std::size_t kMaxConfigBytes = 256 * 1024;

Error configError(std::string_view source, const toml::source_region& where,
                  std::string_view what) {
    return Error{ErrorCode::BadInput, fmt::format("{}:{}: {}", source, where.begin.line, what)};
}

// Reads table.key into `out` when present; a value of the wrong type is an error, never a
// silent default.
template <typename T>
Expected<void> read(const toml::table& table, std::string_view section, std::string_view key,
                    std::string_view source, T& out) {
    const toml::node* node = table.get(key);
    if (!node) {
        return {};
    }
    if constexpr (std::is_same_v<T, std::optional<double>> || std::is_same_v<T, double>) {
        if (auto v = node->value<double>()) {
            out = *v;
            return {};
        }
    } else if constexpr (std::is_same_v<T, std::filesystem::path>) {
        if (auto v = node->value<std::string>()) {
            out = std::filesystem::u8path(*v);
            return {};
        }
    } else {
        if (auto v = node->value<T>()) {
            out = *v;
            return {};
        }
    }
    return tl::unexpected(configError(source, node->source(),
                                      fmt::format("[{}] {} has the wrong type", section, key)));
}

Expected<void> checkKeys(const toml::table& table, std::string_view section,
                         const std::set<std::string_view>& known, std::string_view source) {
    for (const auto& [key, node] : table) {
        if (!known.count(key.str())) {
            return tl::unexpected(configError(
                source, node.source(), fmt::format("unknown key [{}] {}", section, key.str())));
        }
    }
    return {};
}

}  // namespace

Expected<StationConfig> parseStationConfig(std::string_view text, std::string_view source) {
    toml::table root;
    try {
        // Debian's toml++ is built with exceptions, so a syntax error arrives as one.
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        return tl::unexpected(configError(source, e.source(), std::string(e.description())));
    }
    StationConfig config;
    if (auto r =
            checkKeys(root, "", {"checkin", "id_card", "cameras", "platform", "archive"}, source);
        !r) {
        return tl::unexpected(r.error());
    }
    auto section = [&](std::string_view name) -> Expected<const toml::table*> {
        const toml::node* node = root.get(name);
        if (!node) {
            return nullptr;
        }
        if (!node->is_table()) {
            return tl::unexpected(
                configError(source, node->source(), fmt::format("[{}] is not a table", name)));
        }
        return node->as_table();
    };
    if (auto t = section("checkin"); !t) {
        return tl::unexpected(t.error());
    } else if (*t) {
        auto& c = config.checkin;
        for (auto r : {checkKeys(**t, "checkin",
                                 {"match_threshold", "review_margin", "impersonation_margin",
                                  "require_liveness"},
                                 source),
                       read(**t, "checkin", "match_threshold", source, c.matchThreshold),
                       read(**t, "checkin", "review_margin", source, c.reviewMargin),
                       read(**t, "checkin", "impersonation_margin", source, c.impersonationMargin),
                       read(**t, "checkin", "require_liveness", source, c.requireLiveness)}) {
            if (!r) {
                return tl::unexpected(r.error());
            }
        }
        if ((c.matchThreshold && (*c.matchThreshold <= 0 || *c.matchThreshold >= 2)) ||
            c.reviewMargin < 0 || c.reviewMargin > 1 || c.impersonationMargin < 0 ||
            c.impersonationMargin > 1) {
            return fail(ErrorCode::BadInput,
                        fmt::format("{}: [checkin] thresholds must be distances in (0, 2) and "
                                    "margins in [0, 1]",
                                    source));
        }
    }
    if (auto t = section("id_card"); !t) {
        return tl::unexpected(t.error());
    } else if (*t) {
        for (auto r : {checkKeys(**t, "id_card", {"drop_folder"}, source),
                       read(**t, "id_card", "drop_folder", source, config.idCard.dropFolder)}) {
            if (!r) {
                return tl::unexpected(r.error());
            }
        }
    }
    if (auto t = section("cameras"); !t) {
        return tl::unexpected(t.error());
    } else if (*t) {
        for (auto r :
             {checkKeys(**t, "cameras", {"monitor_config"}, source),
              read(**t, "cameras", "monitor_config", source, config.cameras.monitorConfig)}) {
            if (!r) {
                return tl::unexpected(r.error());
            }
        }
    }
    if (auto t = section("archive"); !t) {
        return tl::unexpected(t.error());
    } else if (*t) {
        auto& a = config.archive;
        for (auto r :
             {checkKeys(**t, "archive", {"authority_certificate", "include_recordings", "tsa_url"},
                        source),
              read(**t, "archive", "authority_certificate", source, a.authorityCertificate),
              read(**t, "archive", "include_recordings", source, a.includeRecordings),
              read(**t, "archive", "tsa_url", source, a.tsaUrl)}) {
            if (!r) {
                return tl::unexpected(r.error());
            }
        }
        if (!a.tsaUrl.empty() && !a.tsaUrl.starts_with("http://") &&
            !a.tsaUrl.starts_with("https://")) {
            return fail(
                ErrorCode::BadInput,
                fmt::format("{}: [archive] tsa_url must be an http:// or https:// URL", source));
        }
    }
    if (auto t = section("platform"); !t) {
        return tl::unexpected(t.error());
    } else if (*t) {
        auto& p = config.platform;
        std::int64_t timeout = p.timeoutMs;
        for (auto r : {checkKeys(**t, "platform",
                                 {"enabled", "base_url", "app_id", "private_key_file", "device_mac",
                                  "digest", "timeout_ms"},
                                 source),
                       read(**t, "platform", "enabled", source, p.enabled),
                       read(**t, "platform", "base_url", source, p.baseUrl),
                       read(**t, "platform", "app_id", source, p.appId),
                       read(**t, "platform", "private_key_file", source, p.privateKeyFile),
                       read(**t, "platform", "device_mac", source, p.deviceMac),
                       read(**t, "platform", "digest", source, p.digest),
                       read(**t, "platform", "timeout_ms", source, timeout)}) {
            if (!r) {
                return tl::unexpected(r.error());
            }
        }
        if (timeout < 100 || timeout > 120000) {
            return fail(ErrorCode::BadInput,
                        fmt::format("{}: [platform] timeout_ms must be 100..120000", source));
        }
        p.timeoutMs = static_cast<int>(timeout);
        if (p.digest != "sha256" && p.digest != "sha1") {
            return fail(
                ErrorCode::BadInput,
                fmt::format("{}: [platform] digest must be \"sha256\" or \"sha1\"", source));
        }
        if (p.enabled && (p.baseUrl.empty() || p.appId.empty() || p.privateKeyFile.empty())) {
            return fail(ErrorCode::BadInput,
                        fmt::format("{}: [platform] enabled needs base_url, app_id and "
                                    "private_key_file",
                                    source));
        }
        if (!p.baseUrl.empty() && p.baseUrl.rfind("https://", 0) != 0 &&
            p.baseUrl.rfind("http://", 0) != 0) {
            return fail(
                ErrorCode::BadInput,
                fmt::format("{}: [platform] base_url must start with https:// or http://", source));
        }
    }
    return config;
}

Expected<StationConfig> loadStationConfig(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        return StationConfig{};
    }
    auto text = readFileLimited(path, kMaxConfigBytes);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return parseStationConfig(*text, path.string());
}

std::filesystem::path defaultConfigPath(const std::filesystem::path& databasePath) {
    return databasePath.parent_path() / "station.toml";
}

}  // namespace examguard::station
