#include "station/camera_config.h"

#include <cctype>
#include <cmath>
#include <set>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "station/file_io.h"
#include "station/import/validators.h"

namespace examguard::station {

namespace {

constexpr std::size_t kMaxConfigBytes = 256 * 1024;
constexpr std::size_t kMaxRegions = 500;
constexpr std::size_t kMaxPolygonPoints = 64;
constexpr std::size_t kMaxNameBytes = 200;

tl::unexpected<Error> badInput(std::string_view source, const toml::source_region& where,
                               std::string_view what) {
    return fail(ErrorCode::BadInput, fmt::format("{}:{}: {}", source, where.begin.line, what));
}

Expected<void> checkKeys(const toml::table& table, std::string_view section,
                         const std::set<std::string_view>& known, std::string_view source) {
    for (const auto& [key, node] : table) {
        if (!known.count(key.str())) {
            return badInput(source, node.source(),
                            fmt::format("unknown key [{}] {}", section, key.str()));
        }
    }
    return {};
}

// A number in [lo, hi] at table.key, when present.
Expected<void> readNumber(const toml::table& table, std::string_view section, std::string_view key,
                          std::string_view source, double lo, double hi, double& out) {
    const toml::node* node = table.get(key);
    if (!node) {
        return {};
    }
    const auto value = node->value<double>();
    if (!value || !std::isfinite(*value) || *value < lo || *value > hi) {
        return badInput(
            source, node->source(),
            fmt::format("[{}] {} must be a number from {} to {}", section, key, lo, hi));
    }
    out = *value;
    return {};
}

Expected<std::string> readName(const toml::table& table, std::string_view section,
                               std::string_view source, const toml::node& where) {
    const toml::node* node = table.get("name");
    const auto name = node ? node->value<std::string>() : std::nullopt;
    if (!name || name->empty() || name->size() > kMaxNameBytes) {
        return badInput(source, node ? node->source() : where.source(),
                        fmt::format("[{}] name must be a non-empty string of at most {} bytes",
                                    section, kMaxNameBytes));
    }
    return *name;
}

Expected<std::filesystem::path> readPath(const toml::table& table, std::string_view section,
                                         std::string_view key, std::string_view source) {
    const toml::node* node = table.get(key);
    if (!node) {
        return std::filesystem::path();
    }
    const auto text = node->value<std::string>();
    if (!text || text->empty()) {
        return badInput(source, node->source(),
                        fmt::format("[{}] {} must be a path", section, key));
    }
    std::filesystem::path path = std::filesystem::u8path(*text);
    if (path.is_relative()) {  // relative to the settings file
        path = std::filesystem::u8path(std::string(source)).parent_path() / path;
    }
    return path;
}

// [[seat]] / [proctor]: name = "...", polygon = [[x, y], ...] in fractions of the frame.
Expected<vision::scene::Region> readRegion(const toml::node& node, std::string_view section,
                                           std::string_view source) {
    const toml::table* table = node.as_table();
    if (!table) {
        return badInput(source, node.source(), fmt::format("[{}] must be a table", section));
    }
    if (auto r = checkKeys(*table, section, {"name", "polygon"}, source); !r) {
        return tl::unexpected(r.error());
    }
    vision::scene::Region region;
    auto name = readName(*table, section, source, node);
    if (!name) {
        return tl::unexpected(name.error());
    }
    region.name = *name;
    const toml::node* polygon = table->get("polygon");
    const toml::array* points = polygon ? polygon->as_array() : nullptr;
    const auto& where = polygon ? polygon->source() : node.source();
    const std::string shape = fmt::format(
        "[{}] {}: polygon must list 3 to {} points [x, y], each from 0 to 1 (fractions of the "
        "frame)",
        section, region.name, kMaxPolygonPoints);
    if (!points || points->size() < 3 || points->size() > kMaxPolygonPoints) {
        return badInput(source, where, shape);
    }
    for (const toml::node& point : *points) {
        const toml::array* xy = point.as_array();
        if (!xy || xy->size() != 2) {
            return badInput(source, point.source(), shape);
        }
        const auto x = (*xy)[0].value<double>(), y = (*xy)[1].value<double>();
        if (!x || !y || !std::isfinite(*x) || !std::isfinite(*y) || *x < 0 || *x > 1 || *y < 0 ||
            *y > 1) {
            return badInput(source, point.source(), shape);
        }
        region.polygon.emplace_back(static_cast<float>(*x), static_cast<float>(*y));
    }
    return region;
}

struct NumberKey {
    std::string_view name;
    double lo, hi;
    double* out;
};

Expected<void> readNumbers(const toml::table& table, std::string_view section,
                           std::string_view source, std::initializer_list<NumberKey> keys,
                           std::set<std::string_view> otherKeys = {}) {
    for (const NumberKey& k : keys) {
        otherKeys.insert(k.name);
    }
    if (auto r = checkKeys(table, section, otherKeys, source); !r) {
        return r;
    }
    for (const NumberKey& k : keys) {
        if (auto r = readNumber(table, section, k.name, source, k.lo, k.hi, *k.out); !r) {
            return r;
        }
    }
    return {};
}

}  // namespace

Expected<CameraConfig> parseCameraConfig(std::string_view text, std::string_view source) {
    toml::table root;
    try {
        // Debian's toml++ is built with exceptions, so a syntax error arrives as one.
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        return badInput(source, e.source(), std::string(e.description()));
    }
    if (auto r = checkKeys(root, "", {"camera", "tamper", "room", "seat", "proctor"}, source); !r) {
        return tl::unexpected(r.error());
    }
    CameraConfig config;
    auto section = [&](std::string_view name) -> Expected<const toml::table*> {
        const toml::node* node = root.get(name);
        if (!node) {
            return nullptr;
        }
        if (!node->is_table()) {
            return badInput(source, node->source(), fmt::format("[{}] must be a table", name));
        }
        return node->as_table();
    };

    auto camera = section("camera");
    if (!camera) {
        return tl::unexpected(camera.error());
    }
    if (*camera) {
        const toml::table& t = **camera;
        vision::scene::TamperConfig& c = config.tamper;
        double width = c.analysisWidthPx;
        if (auto r = readNumbers(
                t, "camera", source,
                {{"analysis_fps", 0.2, 30.0, &c.analysisFps}, {"analysis_width", 64, 1920, &width}},
                {"name", "reference"});
            !r) {
            return tl::unexpected(r.error());
        }
        c.analysisWidthPx = static_cast<int>(width);
        if (t.get("name")) {
            auto name = readName(t, "camera", source, **camera);
            if (!name) {
                return tl::unexpected(name.error());
            }
            config.name = *name;
        }
        auto reference = readPath(t, "camera", "reference", source);
        if (!reference) {
            return tl::unexpected(reference.error());
        }
        config.reference = *reference;
    }

    auto tamper = section("tamper");
    if (!tamper) {
        return tl::unexpected(tamper.error());
    }
    if (*tamper) {
        vision::scene::TamperConfig& c = config.tamper;
        if (auto r = readNumbers(**tamper, "tamper", source,
                                 {{"onset_s", 0, 600, &c.onsetS},
                                  {"offset_s", 0, 600, &c.offsetS},
                                  {"signal_lost_s", 0.5, 3600, &c.signalLostS},
                                  {"covered_fraction", 0.05, 1, &c.coveredFraction},
                                  {"flat_cell_std", 0.5, 100, &c.flatCellStd},
                                  {"cover_luma_change", 1, 255, &c.coverLumaChange},
                                  {"defocus_ratio", 0.01, 1, &c.defocusRatio},
                                  {"move_shift_fraction", 0.005, 1, &c.moveShiftFraction},
                                  {"move_rotation_deg", 0.1, 90, &c.moveRotationDeg},
                                  {"frozen_max_diff", 0, 50, &c.frozenMaxDiff},
                                  {"dark_luma", 0, 255, &c.darkLuma},
                                  {"bright_luma", 0, 255, &c.brightLuma},
                                  {"colour_cast_shift", 1, 200, &c.colourCastShift},
                                  {"reference_adapt_s", 0, 86400, &c.referenceAdaptS}});
            !r) {
            return tl::unexpected(r.error());
        }
    }

    vision::scene::RoomConfig& room = config.room;
    auto roomTable = section("room");
    if (!roomTable) {
        return tl::unexpected(roomTable.error());
    }
    if (*roomTable) {
        double checkedIn = room.checkedIn;
        if (auto r = readNumbers(**roomTable, "room", source,
                                 {{"checked_in", -1, 100000, &checkedIn},
                                  {"occupied_fraction", 0.01, 1, &room.occupiedFraction},
                                  {"diff_threshold", 1, 255, &room.diffThreshold},
                                  {"min_person_fraction", 0.0005, 1, &room.minPersonFraction},
                                  {"seat_empty_s", 0, 86400, &room.seatEmptyS},
                                  {"proctor_absent_s", 0, 86400, &room.proctorAbsentS},
                                  {"extra_person_s", 0, 86400, &room.extraPersonS},
                                  {"headcount_s", 0, 86400, &room.headcountS},
                                  {"offset_s", 0, 600, &room.offsetS}},
                                 {"empty_reference"});
            !r) {
            return tl::unexpected(r.error());
        }
        if (checkedIn != std::floor(checkedIn)) {
            return badInput(source, (**roomTable).get("checked_in")->source(),
                            "[room] checked_in must be a whole number");
        }
        room.checkedIn = static_cast<int>(checkedIn);
        auto empty = readPath(**roomTable, "room", "empty_reference", source);
        if (!empty) {
            return tl::unexpected(empty.error());
        }
        config.emptyReference = *empty;
    }
    if (const toml::node* seats = root.get("seat")) {
        const toml::array* list = seats->as_array();
        if (!list || list->size() > kMaxRegions) {
            return badInput(
                source, seats->source(),
                fmt::format("[[seat]] must be an array of at most {} tables", kMaxRegions));
        }
        std::set<std::string> names;
        for (const toml::node& node : *list) {
            auto region = readRegion(node, "seat", source);
            if (!region) {
                return tl::unexpected(region.error());
            }
            if (!names.insert(region->name).second) {
                return badInput(source, node.source(),
                                fmt::format("[[seat]] {} is named twice", region->name));
            }
            room.seats.push_back(std::move(*region));
        }
    }
    if (const toml::node* proctor = root.get("proctor")) {
        auto region = readRegion(*proctor, "proctor", source);
        if (!region) {
            return tl::unexpected(region.error());
        }
        room.proctor = std::move(*region);
    }
    room.analysisFps = config.tamper.analysisFps;
    room.analysisWidthPx = config.tamper.analysisWidthPx;
    return config;
}

Expected<CameraConfig> loadCameraConfig(const std::filesystem::path& path) {
    auto text = readFileLimited(path, kMaxConfigBytes);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return parseCameraConfig(*text, path.string());
}

namespace {

constexpr std::size_t kMaxCameras = 256;
constexpr std::size_t kMaxCodeBytes = 64;
constexpr std::size_t kMaxUrlBytes = 2048;

// A string at table.key: required or not, length-limited, no control characters.
Expected<std::string> readText(const toml::table& table, std::string_view section,
                               std::string_view key, std::string_view source,
                               const toml::node& where, std::size_t maxBytes, bool required) {
    const toml::node* node = table.get(key);
    if (!node && !required) {
        return std::string();
    }
    const auto text = node ? node->value<std::string>() : std::nullopt;
    bool clean = text && !text->empty() && text->size() <= maxBytes;
    for (char c : text.value_or("")) {
        clean = clean && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
    }
    if (!clean) {
        return badInput(source, node ? node->source() : where.source(),
                        fmt::format("[{}] {} must be a non-empty string of at most {} bytes "
                                    "without control characters",
                                    section, key, maxBytes));
    }
    return *text;
}

// input_options = { input_format = "mjpeg", video_size = "1280x720" }: names of FFmpeg options
// (lower-case letters, digits, '_') with short printable values.
Expected<std::vector<std::pair<std::string, std::string>>> readInputOptions(
    const toml::table& camera, std::string_view source) {
    std::vector<std::pair<std::string, std::string>> options;
    const toml::node* node = camera.get("input_options");
    if (!node) {
        return options;
    }
    const toml::table* table = node->as_table();
    if (!table || table->size() > 16) {
        return badInput(source, node->source(),
                        "[[camera]] input_options must be a table of at most 16 options");
    }
    for (const auto& [key, value] : *table) {
        const std::string name(key.str());
        bool ok = !name.empty() && name.size() <= 32;
        for (char c : name) {
            ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        }
        const auto text = value.value<std::string>();
        ok = ok && text && !text->empty() && text->size() <= 64;
        for (char c : text.value_or("")) {
            ok = ok && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
        }
        if (!ok) {
            return badInput(source, value.source(),
                            fmt::format("[[camera]] input_options.{}: an option name of lower-case "
                                        "letters, digits and '_' with a text value of at most 64 "
                                        "bytes is expected",
                                        name.substr(0, 32)));
        }
        options.emplace_back(name, *text);
    }
    return options;
}

Expected<MonitoredCamera> readMonitoredCamera(const toml::node& node, std::string_view source,
                                              const std::filesystem::path& recordings) {
    const toml::table* table = node.as_table();
    if (!table) {
        return badInput(source, node.source(), "[[camera]] must be a table");
    }
    MonitoredCamera camera;
    if (auto r =
            readNumbers(*table, "camera", source, {{"segment_s", 2, 3600, &camera.segmentSeconds}},
                        {"code", "room", "name", "url", "directory", "analysis", "input_options",
                         "start_time", "analysis_url"});
        !r) {
        return tl::unexpected(r.error());
    }
    auto code = readText(*table, "camera", "code", source, node, kMaxCodeBytes, true);
    if (!code) {
        return tl::unexpected(code.error());
    }
    for (char c : *code) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') {
            return badInput(source, table->get("code")->source(),
                            fmt::format("[[camera]] code '{}' may hold only letters, digits, "
                                        "'-', '_' and '.'",
                                        *code));
        }
    }
    if ((*code)[0] == '.') {
        return badInput(source, table->get("code")->source(),
                        "[[camera]] code must not start with '.'");
    }
    camera.code = *code;
    auto room = readText(*table, "camera", "room", source, node, kMaxNameBytes, true);
    auto name = readText(*table, "camera", "name", source, node, kMaxNameBytes, false);
    auto url = readText(*table, "camera", "url", source, node, kMaxUrlBytes, true);
    auto directory = readPath(*table, "camera", "directory", source);
    auto analysis = readPath(*table, "camera", "analysis", source);
    for (const auto* r : {&room, &name, &url}) {
        if (!*r) {
            return tl::unexpected(r->error());
        }
    }
    if (!directory || !analysis) {
        return tl::unexpected(!directory ? directory.error() : analysis.error());
    }
    camera.analysis = *analysis;
    camera.room = *room;
    camera.name = name->empty() ? camera.code : *name;
    camera.url = *url;
    camera.directory = directory->empty() ? recordings / camera.code : *directory;
    auto analysisUrl =
        readText(*table, "camera", "analysis_url", source, node, kMaxUrlBytes, false);
    if (!analysisUrl) {
        return tl::unexpected(analysisUrl.error());
    }
    if (!analysisUrl->empty() && camera.analysis.empty()) {
        return badInput(source, table->get("analysis_url")->source(),
                        "[[camera]] analysis_url needs analysis settings (analysis = \"FILE\")");
    }
    camera.analysisUrl = *analysisUrl;
    auto options = readInputOptions(*table, source);
    if (!options) {
        return tl::unexpected(options.error());
    }
    camera.inputOptions = std::move(*options);
    if (const toml::node* start = table->get("start_time")) {
        const bool file =
            camera.url.find("://") == std::string::npos && camera.url.rfind("/dev/video", 0) != 0;
        const auto text = start->value<std::string>();
        auto at = text ? import::parseDateTime(*text) : tl::unexpected(import::FieldError{});
        if (!file || !at) {
            return badInput(source, start->source(),
                            !file ? "[[camera]] start_time applies to a video file only"
                                  : "[[camera]] start_time must be a date and time such as "
                                    "\"2026-11-25T09:05:00+08:00\"");
        }
        camera.startTime = std::chrono::system_clock::time_point(*at);
    }
    return camera;
}

}  // namespace

Expected<MonitorConfig> parseMonitorConfig(std::string_view text, std::string_view source) {
    toml::table root;
    try {
        root = toml::parse(text, source);
    } catch (const toml::parse_error& e) {
        return badInput(source, e.source(), std::string(e.description()));
    }
    if (auto r = checkKeys(root, "", {"recording", "camera"}, source); !r) {
        return tl::unexpected(r.error());
    }
    MonitorConfig config;
    const toml::node* recording = root.get("recording");
    if (!recording || !recording->is_table()) {
        return badInput(source, recording ? recording->source() : root.source(),
                        "[recording] must be a table naming the recordings directory");
    }
    const toml::table& r = *recording->as_table();
    double years = config.retentionYears;
    if (auto ok = readNumbers(r, "recording", source,
                              {{"segment_s", 2, 3600, &config.segmentSeconds},
                               {"min_free_mb", 0, 1e9, &config.minFreeMb},
                               {"reconnect_max_s", 0.1, 3600, &config.reconnectMaxS},
                               {"io_timeout_s", 0.5, 600, &config.ioTimeoutS},
                               {"retention_years", 3, 100, &years}},
                              {"directory"});
        !ok) {
        return tl::unexpected(ok.error());
    }
    if (years != std::floor(years)) {
        return badInput(source, r.get("retention_years")->source(),
                        "[recording] retention_years must be a whole number");
    }
    config.retentionYears = static_cast<int>(years);
    auto directory = readPath(r, "recording", "directory", source);
    if (!directory) {
        return tl::unexpected(directory.error());
    }
    if (directory->empty()) {
        return badInput(source, recording->source(), "[recording] directory is required");
    }
    config.directory = *directory;
    const toml::node* cameras = root.get("camera");
    const toml::array* list = cameras ? cameras->as_array() : nullptr;
    if (!list || list->empty() || list->size() > kMaxCameras) {
        return badInput(source, cameras ? cameras->source() : root.source(),
                        fmt::format("[[camera]] must list 1 to {} cameras", kMaxCameras));
    }
    std::set<std::string> codes;
    std::set<std::filesystem::path> directories;
    for (const toml::node& node : *list) {
        auto camera = readMonitoredCamera(node, source, config.directory);
        if (!camera) {
            return tl::unexpected(camera.error());
        }
        if (!codes.insert(camera->code).second) {
            return badInput(source, node.source(),
                            fmt::format("[[camera]] {} is listed twice", camera->code));
        }
        if (!directories.insert(camera->directory.lexically_normal()).second) {
            return badInput(source, node.source(),
                            fmt::format("[[camera]] {}: directory {} is another camera's",
                                        camera->code, camera->directory.string()));
        }
        if (camera->segmentSeconds == 0) {
            camera->segmentSeconds = config.segmentSeconds;
        }
        config.cameras.push_back(std::move(*camera));
    }
    return config;
}

Expected<MonitorConfig> loadMonitorConfig(const std::filesystem::path& path) {
    auto text = readFileLimited(path, kMaxConfigBytes);
    if (!text) {
        return tl::unexpected(text.error());
    }
    return parseMonitorConfig(*text, path.string());
}

}  // namespace examguard::station
