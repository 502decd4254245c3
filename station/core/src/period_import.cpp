#include "station/period_import.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "station/crypto.h"
#include "station/event_log.h"
#include "station/file_io.h"
#include "station/import/csv.h"
#include "station/import/validators.h"
#include "station/logging.h"
#include "station/privacy.h"

namespace examguard::station {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kMaxPlanBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxPhotoBytes = 5 * 1024 * 1024;
constexpr std::size_t kMaxTextField = 200;

// ---------------------------------------------------------------------------------------
// Collecting issues

class Issues {
public:
    explicit Issues(std::size_t max) : m_max(max) {}
    void add(std::string file, std::size_t line, std::string field, std::string code,
             std::string message) {
        if (m_list.size() < m_max) {
            m_list.push_back(
                {std::move(file), line, std::move(field), std::move(code), std::move(message)});
        }
    }
    bool empty() const { return m_list.empty(); }
    std::vector<ImportIssue> take() { return std::move(m_list); }

private:
    std::size_t m_max;
    std::vector<ImportIssue> m_list;
};

// ---------------------------------------------------------------------------------------
// What the plan says, once read

struct CameraPlan {
    std::string code, name, position, streamUri;
};
struct RoomPlan {
    std::string code, name, kind;
    std::vector<CameraPlan> cameras;
};
struct SittingPlan {
    std::string subject, round, room, startUtc, endUtc;
};
struct StaffPlan {
    std::string name, role, affiliation;
    std::vector<std::string> sittings;  // "theory/main"
};
struct CandidateRow {
    std::size_t line = 0;
    std::string seat, name, idNumber, gender, examNumber;
    Bytes photo;
};
struct MachineRow {
    std::size_t line = 0;
    std::string room, seat, hostname, mac, ip, role;
};
struct Plan {
    std::string siteCode, siteName, siteAddress;
    std::vector<RoomPlan> rooms;
    std::string periodCode, institution, trade, trainingType, number, retentionClass;
    int retentionYears = 0;
    std::vector<SittingPlan> sittings;
    std::vector<StaffPlan> staff;
    std::vector<CandidateRow> roster;
    std::vector<MachineRow> machines;
    std::string planText;
    std::vector<std::pair<std::string, std::string>> encodings;
    std::vector<std::pair<std::string, std::string>> inputDigests;  // file -> sha256
    std::string machinesLabel;
};

int retentionYearsFor(std::string_view retentionClass) {
    // ARC-4: special operations at least 6 years; principals and safety managers at least 3;
    // "as long as the certificate" — certificates run 6 years.
    if (retentionClass == "principal_safety_manager") {
        return 3;
    }
    return 6;
}

// ---------------------------------------------------------------------------------------
// Reading the JSON plan

class JsonFields {
public:
    JsonFields(Issues& issues, std::string file) : m_issues(issues), m_file(std::move(file)) {}

    const json* object(const json& parent, const std::string& key, const std::string& path,
                       bool required = true) {
        const auto it = parent.find(key);
        if (it == parent.end()) {
            if (required) {
                missing(path + "/" + key);
            }
            return nullptr;
        }
        if (!it->is_object()) {
            wrongType(path + "/" + key, "an object");
            return nullptr;
        }
        return &*it;
    }

    const json* array(const json& parent, const std::string& key, const std::string& path,
                      bool required = true) {
        const auto it = parent.find(key);
        if (it == parent.end()) {
            if (required) {
                missing(path + "/" + key);
            }
            return nullptr;
        }
        if (!it->is_array()) {
            wrongType(path + "/" + key, "an array");
            return nullptr;
        }
        return &*it;
    }

    std::string text(const json& parent, const std::string& key, const std::string& path,
                     bool required = true, std::size_t maxLength = kMaxTextField) {
        const auto it = parent.find(key);
        const std::string where = path + "/" + key;
        if (it == parent.end() || it->is_null()) {
            if (required) {
                missing(where);
            }
            return {};
        }
        if (!it->is_string()) {
            wrongType(where, "a string");
            return {};
        }
        std::string value = it->get<std::string>();
        if (required && value.empty()) {
            m_issues.add(m_file, 0, where, "missing_value", "must not be empty");
        } else if (value.size() > maxLength) {
            m_issues.add(m_file, 0, where, "too_long",
                         fmt::format("longer than {} bytes", maxLength));
        }
        return value;
    }

    std::string oneOf(const json& parent, const std::string& key, const std::string& path,
                      std::initializer_list<std::string_view> allowed) {
        std::string value = text(parent, key, path);
        if (!value.empty() && std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
            std::string list;
            for (auto a : allowed) {
                list += (list.empty() ? "" : ", ") + std::string(a);
            }
            m_issues.add(m_file, 0, path + "/" + key, "bad_value",
                         fmt::format("'{}' is not one of: {}", value, list));
        }
        return value;
    }

    void unknownKeys(const json& object, const std::string& path,
                     std::initializer_list<std::string_view> known) {
        for (const auto& [key, value] : object.items()) {
            if (std::find(known.begin(), known.end(), key) == known.end()) {
                m_issues.add(m_file, 0, path + "/" + key, "unknown_field",
                             fmt::format("unknown field '{}'", key));
            }
        }
    }

    Issues& issues() { return m_issues; }
    const std::string& file() const { return m_file; }

private:
    void missing(const std::string& where) {
        m_issues.add(m_file, 0, where, "missing_field", "required field is missing");
    }
    void wrongType(const std::string& where, const char* expected) {
        m_issues.add(m_file, 0, where, "wrong_type", fmt::format("must be {}", expected));
    }
    Issues& m_issues;
    std::string m_file;
};

std::size_t lineOfOffset(std::string_view text, std::size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + static_cast<std::size_t>(
                   std::count(text.begin(), text.begin() + static_cast<long>(offset), '\n'));
}

// ---------------------------------------------------------------------------------------
// Reading the CSV files

struct ColumnSpec {
    std::string_view canonical;
    std::initializer_list<std::string_view> aliases;
    bool required;
};

const std::array<ColumnSpec, 6> kRosterColumns{{
    {"seat", {"seat", "座位号", "座号"}, true},
    {"name", {"name", "姓名"}, true},
    {"id_number", {"id_number", "身份证号", "身份证号码", "公民身份号码"}, true},
    {"gender", {"gender", "性别"}, false},
    {"exam_number", {"exam_number", "准考证号"}, false},
    {"photo", {"photo", "照片"}, false},
}};

const std::array<ColumnSpec, 6> kMachineColumns{{
    {"room", {"room", "考场"}, false},
    {"seat", {"seat", "座位号", "机位号"}, true},
    {"hostname", {"hostname", "计算机名", "主机名"}, false},
    {"mac", {"mac", "mac地址", "MAC地址"}, true},
    {"ip", {"ip", "ip地址", "IP地址"}, true},
    {"role", {"role", "类型"}, false},
}};

std::string asciiLower(std::string_view s) {
    std::string out(s);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

template <std::size_t N>
std::optional<std::string_view> canonicalColumn(const std::array<ColumnSpec, N>& specs,
                                                std::string_view header) {
    const std::string lowered = asciiLower(header);
    for (const auto& spec : specs) {
        for (auto alias : spec.aliases) {
            if (asciiLower(alias) == lowered) {
                return spec.canonical;
            }
        }
    }
    return std::nullopt;
}

struct CsvRows {
    std::vector<std::pair<std::size_t, std::map<std::string, std::string>>> rows;  // line -> col
    std::set<std::string> columns;
};

std::string trimmed(std::string_view s) {
    auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
    while (!s.empty() && isSpace(s.front())) {
        s.remove_prefix(1);
    }
    while (!s.empty() && isSpace(s.back())) {
        s.remove_suffix(1);
    }
    return std::string(s);
}

template <std::size_t N>
std::optional<CsvRows> readCsv(const fs::path& path, const std::string& label,
                               const std::array<ColumnSpec, N>& specs, const ImportOptions& options,
                               Issues& issues, Plan& plan) {
    import::DecodeOptions decodeOptions;
    decodeOptions.encoding = options.encoding;
    auto decoded = import::readTextFile(path, decodeOptions);
    if (!decoded) {
        issues.add(label, 0, "", decoded.error().code == ErrorCode::Io ? "unreadable" : "encoding",
                   decoded.error().detail);
        return std::nullopt;
    }
    plan.encodings.emplace_back(label, import::name(decoded->encoding));
    const import::CsvTable table = import::parseCsv(decoded->text);
    for (const auto& e : table.errors) {
        issues.add(label, e.line,
                   e.field > 0 && e.field <= table.header.size() ? table.header[e.field - 1] : "",
                   std::string("csv_") + import::name(e.kind), e.detail);
    }
    if (table.header.empty()) {
        return std::nullopt;
    }
    CsvRows out;
    std::vector<std::string> columnOf(table.header.size());
    bool headerOk = true;
    for (std::size_t i = 0; i < table.header.size(); ++i) {
        const auto canonical = canonicalColumn(specs, table.header[i]);
        if (!canonical) {
            issues.add(label, table.headerLine, table.header[i], "unknown_column",
                       fmt::format("unknown column '{}'", table.header[i]));
            headerOk = false;
            continue;
        }
        if (!out.columns.insert(std::string(*canonical)).second) {
            issues.add(label, table.headerLine, table.header[i], "duplicate_column",
                       fmt::format("column '{}' appears twice", *canonical));
            headerOk = false;
        }
        columnOf[i] = std::string(*canonical);
    }
    for (const auto& spec : specs) {
        if (spec.required && !out.columns.count(std::string(spec.canonical))) {
            issues.add(label, table.headerLine, std::string(spec.canonical), "missing_column",
                       fmt::format("required column '{}' is missing", spec.canonical));
            headerOk = false;
        }
    }
    if (!headerOk) {
        return std::nullopt;
    }
    for (const auto& record : table.records) {
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < record.fields.size() && i < columnOf.size(); ++i) {
            row[columnOf[i]] = trimmed(record.fields[i]);
        }
        out.rows.emplace_back(record.line, std::move(row));
    }
    plan.inputDigests.emplace_back(label, sha256Hex(decoded->text));
    return out;
}

std::optional<Bytes> readPhoto(const fs::path& path, std::string& problem) {
    auto bytes = readFileLimited(path, kMaxPhotoBytes);
    if (!bytes) {
        problem = fmt::format("photo: {}", bytes.error().detail);
        return std::nullopt;
    }
    Bytes photo(bytes->begin(), bytes->end());
    const auto format = imageFormat(photo);
    if (format != "jpeg" && format != "png") {
        problem = fmt::format("photo {} is not a JPEG or PNG image", path.string());
        return std::nullopt;
    }
    return photo;
}

std::optional<std::string> normaliseGender(std::string_view g) {
    if (g.empty()) {
        return std::string();
    }
    if (g == "男" || g == "male" || g == "M" || g == "m") {
        return std::string("male");
    }
    if (g == "女" || g == "female" || g == "F" || g == "f") {
        return std::string("female");
    }
    return std::nullopt;
}

void readRoster(const fs::path& path, const std::string& label, const ImportOptions& options,
                const Station& station, Issues& issues, Plan& plan) {
    auto csv = readCsv(path, label, kRosterColumns, options, issues, plan);
    if (!csv) {
        return;
    }
    std::map<std::string, std::size_t> seats, ids, examNumbers;
    // Birth dates are compared with the date at the site (China Standard Time).
    const std::chrono::year_month_day today = chinaDate(station.clock());
    for (auto& [line, row] : csv->rows) {
        CandidateRow c;
        c.line = line;
        c.seat = row["seat"];
        c.name = row["name"];
        c.examNumber = row["exam_number"];
        if (auto seat = import::normaliseSeatLabel(c.seat); !seat) {
            issues.add(label, line, "seat", "bad_seat", seat.error().detail);
        } else {
            c.seat = *seat;
            if (auto [it, fresh] = seats.emplace(c.seat, line); !fresh) {
                issues.add(label, line, "seat", "duplicate_seat",
                           fmt::format("seat {} is also given on line {}", c.seat, it->second));
            }
        }
        if (c.name.empty()) {
            issues.add(label, line, "name", "missing_value", "name is empty");
        } else if (c.name.size() > 64) {
            issues.add(label, line, "name", "too_long", "name is longer than 64 bytes");
        }
        auto id = import::validateIdNumber(row["id_number"], today);
        if (!id) {
            issues.add(label, line, "id_number",
                       std::string("bad_id_number.") + import::name(id.error().reason),
                       fmt::format("ID number {}: {}", maskSensitive(row["id_number"]),
                                   id.error().detail));
        } else {
            c.idNumber = id->value;
            if (auto [it, fresh] = ids.emplace(c.idNumber, line); !fresh) {
                issues.add(label, line, "id_number", "duplicate_id_number",
                           fmt::format("ID number {} is also given on line {}",
                                       import::maskIdNumber(c.idNumber), it->second));
            }
        }
        if (auto gender = normaliseGender(row["gender"]); !gender) {
            issues.add(label, line, "gender", "bad_value",
                       fmt::format("gender '{}' is not 男/女 (male/female)", row["gender"]));
        } else {
            c.gender = *gender;
            // The 17th digit of the ID number is odd for men, even for women.
            if (!c.gender.empty() && c.idNumber.size() == 18) {
                const bool male = (c.idNumber[16] - '0') % 2 == 1;
                if (male != (c.gender == "male")) {
                    issues.add(label, line, "gender", "gender_mismatch",
                               "gender does not match the ID number");
                }
            }
        }
        if (!c.examNumber.empty()) {
            if (auto [it, fresh] = examNumbers.emplace(c.examNumber, line); !fresh) {
                issues.add(label, line, "exam_number", "duplicate_exam_number",
                           fmt::format("exam number {} is also given on line {}", c.examNumber,
                                       it->second));
            }
        }
        if (!row["photo"].empty()) {
            const fs::path photoPath = path.parent_path() / row["photo"];
            std::string problem;
            if (auto photo = readPhoto(photoPath, problem)) {
                c.photo = std::move(*photo);
            } else {
                issues.add(label, line, "photo", "bad_photo", problem);
            }
        }
        plan.roster.push_back(std::move(c));
    }
}

std::optional<std::string> normaliseMachineRole(std::string_view role) {
    if (role.empty() || role == "candidate" || role == "考生机") {
        return std::string("candidate");
    }
    if (role == "server" || role == "服务器") {
        return std::string("server");
    }
    if (role == "proctor" || role == "监考机") {
        return std::string("proctor");
    }
    return std::nullopt;
}

bool validHostname(std::string_view name) {
    if (name.size() > 63) {
        return false;
    }
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

void readMachines(const fs::path& path, const std::string& label, const ImportOptions& options,
                  Issues& issues, Plan& plan, const std::set<std::string>& knownRooms,
                  const std::string& defaultRoom) {
    auto csv = readCsv(path, label, kMachineColumns, options, issues, plan);
    if (!csv) {
        return;
    }
    std::map<std::string, std::size_t> seats, macs, ips;
    for (auto& [line, row] : csv->rows) {
        MachineRow m;
        m.line = line;
        m.room = row["room"].empty() ? defaultRoom : row["room"];
        m.hostname = row["hostname"];
        if (m.room.empty()) {
            issues.add(label, line, "room", "missing_value",
                       "room is empty and the plan has no single theory room to assume");
        } else if (!knownRooms.count(m.room)) {
            issues.add(label, line, "room", "unknown_room",
                       fmt::format("room '{}' is not in the plan", m.room));
        }
        if (auto seat = import::normaliseSeatLabel(row["seat"]); !seat) {
            issues.add(label, line, "seat", "bad_seat", seat.error().detail);
        } else {
            m.seat = *seat;
            if (auto [it, fresh] = seats.emplace(m.room + "/" + m.seat, line); !fresh) {
                issues.add(label, line, "seat", "duplicate_seat",
                           fmt::format("seat {} of room {} is also given on line {}", m.seat,
                                       m.room, it->second));
            }
        }
        if (!validHostname(m.hostname)) {
            issues.add(label, line, "hostname", "bad_hostname",
                       fmt::format("hostname '{}' must be up to 63 letters, digits, '-' or '_'",
                                   m.hostname));
        }
        if (auto mac = import::normaliseMac(row["mac"]); !mac) {
            issues.add(label, line, "mac",
                       std::string("bad_mac.") + import::name(mac.error().reason),
                       fmt::format("MAC '{}': {}", row["mac"], mac.error().detail));
        } else {
            m.mac = *mac;
            if (auto [it, fresh] = macs.emplace(m.mac, line); !fresh) {
                issues.add(label, line, "mac", "duplicate_mac",
                           fmt::format("MAC {} is also given on line {}", m.mac, it->second));
            }
        }
        if (auto ip = import::validateHostIpv4(row["ip"]); !ip) {
            issues.add(label, line, "ip", std::string("bad_ip.") + import::name(ip.error().reason),
                       fmt::format("IP '{}': {}", row["ip"], ip.error().detail));
        } else {
            m.ip = ip->toString();
            if (auto [it, fresh] = ips.emplace(m.ip, line); !fresh) {
                issues.add(label, line, "ip", "duplicate_ip",
                           fmt::format("IP {} is also given on line {}", m.ip, it->second));
            }
        }
        if (auto role = normaliseMachineRole(row["role"]); !role) {
            issues.add(
                label, line, "role", "bad_value",
                fmt::format("role '{}' is not candidate/server/proctor (考生机/服务器/监考机)",
                            row["role"]));
        } else {
            m.role = *role;
        }
        plan.machines.push_back(std::move(m));
    }
}

// ---------------------------------------------------------------------------------------
// The plan document

void readPlanDocument(const fs::path& planPath, const ImportOptions& options,
                      const Station& station, Issues& issues, Plan& plan) {
    const std::string label = planPath.filename().string();
    auto text = readFileLimited(planPath, kMaxPlanBytes);
    if (!text) {
        issues.add(label, 0, "", "unreadable", text.error().detail);
        return;
    }
    if (auto bad = import::findInvalidUtf8(*text)) {
        issues.add(label, lineOfOffset(*text, *bad), "", "encoding",
                   fmt::format("not UTF-8 at byte {}", *bad));
        return;
    }
    json doc;
    try {
        doc = json::parse(*text);
    } catch (const json::parse_error& e) {
        issues.add(label, lineOfOffset(*text, e.byte > 0 ? e.byte - 1 : 0), "", "json_syntax",
                   fmt::format("not valid JSON: {}", e.what()));
        return;
    }
    plan.planText = *text;
    plan.inputDigests.emplace_back(label, sha256Hex(*text));
    if (!doc.is_object()) {
        issues.add(label, 1, "/", "wrong_type", "the plan must be a JSON object");
        return;
    }
    JsonFields f(issues, label);
    f.unknownKeys(doc, "",
                  {"format", "site", "rooms", "period", "sittings", "staff", "roster", "machines",
                   "$schema"});
    if (f.text(doc, "format", "") != "examguard-period-plan/1" && doc.contains("format")) {
        issues.add(label, 0, "/format", "bad_value", "format must be \"examguard-period-plan/1\"");
    }
    if (const json* site = f.object(doc, "site", "")) {
        f.unknownKeys(*site, "/site", {"code", "name", "address"});
        plan.siteCode = f.text(*site, "code", "/site", true, 32);
        plan.siteName = f.text(*site, "name", "/site");
        plan.siteAddress = f.text(*site, "address", "/site", false);
    }
    std::set<std::string> roomCodes;
    std::string onlyTheoryRoom;
    int theoryRooms = 0;
    if (const json* rooms = f.array(doc, "rooms", "")) {
        for (std::size_t i = 0; i < rooms->size(); ++i) {
            const std::string path = fmt::format("/rooms/{}", i);
            const json& r = (*rooms)[i];
            if (!r.is_object()) {
                issues.add(label, 0, path, "wrong_type", "must be an object");
                continue;
            }
            f.unknownKeys(r, path, {"code", "name", "kind", "cameras"});
            RoomPlan room;
            room.code = f.text(r, "code", path, true, 32);
            room.name = f.text(r, "name", path);
            room.kind = f.oneOf(r, "kind", path, {"theory", "practical", "waiting"});
            if (!room.code.empty() && !roomCodes.insert(room.code).second) {
                issues.add(label, 0, path + "/code", "duplicate_room",
                           fmt::format("room {} is listed twice", room.code));
            }
            if (room.kind == "theory") {
                ++theoryRooms;
                onlyTheoryRoom = room.code;
            }
            if (const json* cams = f.array(r, "cameras", path, false)) {
                std::set<std::string> camCodes;
                for (std::size_t j = 0; j < cams->size(); ++j) {
                    const std::string cpath = fmt::format("{}/cameras/{}", path, j);
                    const json& c = (*cams)[j];
                    if (!c.is_object()) {
                        issues.add(label, 0, cpath, "wrong_type", "must be an object");
                        continue;
                    }
                    f.unknownKeys(c, cpath, {"code", "name", "position", "stream_uri"});
                    CameraPlan cam;
                    cam.code = f.text(c, "code", cpath, true, 32);
                    cam.name = f.text(c, "name", cpath);
                    cam.position = f.text(c, "position", cpath, false);
                    cam.streamUri = f.text(c, "stream_uri", cpath, false, 1024);
                    if (!cam.code.empty() && !camCodes.insert(cam.code).second) {
                        issues.add(label, 0, cpath + "/code", "duplicate_camera",
                                   fmt::format("camera {} is listed twice", cam.code));
                    }
                    room.cameras.push_back(std::move(cam));
                }
            }
            plan.rooms.push_back(std::move(room));
        }
        if (rooms->empty()) {
            issues.add(label, 0, "/rooms", "missing_value", "the plan lists no room");
        }
    }
    if (const json* period = f.object(doc, "period", "")) {
        f.unknownKeys(*period, "/period",
                      {"code", "institution", "trade", "training_type", "number", "retention_class",
                       "retention_years"});
        plan.periodCode = f.text(*period, "code", "/period", true, 64);
        plan.institution = f.text(*period, "institution", "/period");
        plan.trade = f.text(*period, "trade", "/period");
        plan.trainingType = f.oneOf(*period, "training_type", "/period", {"initial", "renewal"});
        plan.number = f.text(*period, "number", "/period");
        plan.retentionClass =
            f.oneOf(*period, "retention_class", "/period",
                    {"special_operations", "principal_safety_manager", "certificate_validity"});
        plan.retentionYears = retentionYearsFor(plan.retentionClass);
        if (const auto it = period->find("retention_years"); it != period->end()) {
            if (!it->is_number_integer() || it->get<int>() < plan.retentionYears ||
                it->get<int>() > 100) {
                issues.add(label, 0, "/period/retention_years", "bad_value",
                           fmt::format("must be a whole number of years, at least {} for this "
                                       "retention class",
                                       plan.retentionYears));
            } else {
                plan.retentionYears = it->get<int>();
            }
        }
    }
    std::set<std::string> sittingKeys;
    if (const json* sittings = f.array(doc, "sittings", "")) {
        for (std::size_t i = 0; i < sittings->size(); ++i) {
            const std::string path = fmt::format("/sittings/{}", i);
            const json& s = (*sittings)[i];
            if (!s.is_object()) {
                issues.add(label, 0, path, "wrong_type", "must be an object");
                continue;
            }
            f.unknownKeys(s, path, {"subject", "round", "room", "start", "end"});
            SittingPlan sitting;
            sitting.subject = f.oneOf(s, "subject", path, {"theory", "practical"});
            sitting.round = f.oneOf(s, "round", path, {"main", "retake"});
            sitting.room = f.text(s, "room", path, true, 32);
            if (!sitting.room.empty() && !roomCodes.count(sitting.room)) {
                issues.add(label, 0, path + "/room", "unknown_room",
                           fmt::format("room '{}' is not in /rooms", sitting.room));
            }
            const std::string start = f.text(s, "start", path);
            const std::string end = f.text(s, "end", path);
            auto startUtc = import::parseDateTime(start);
            auto endUtc = import::parseDateTime(end);
            if (!start.empty() && !startUtc) {
                issues.add(label, 0, path + "/start", "bad_datetime", startUtc.error().detail);
            }
            if (!end.empty() && !endUtc) {
                issues.add(label, 0, path + "/end", "bad_datetime", endUtc.error().detail);
            }
            if (startUtc && endUtc) {
                if (*endUtc <= *startUtc) {
                    issues.add(label, 0, path + "/end", "bad_value",
                               "the sitting ends before it starts");
                }
                sitting.startUtc = formatUtc(*startUtc);
                sitting.endUtc = formatUtc(*endUtc);
            }
            const std::string key = sitting.subject + "/" + sitting.round + "/" + sitting.room;
            if (!sittingKeys.insert(key).second) {
                issues.add(label, 0, path, "duplicate_sitting",
                           fmt::format("{} {} in room {} is listed twice", sitting.subject,
                                       sitting.round, sitting.room));
            }
            plan.sittings.push_back(std::move(sitting));
        }
        if (sittings->empty()) {
            issues.add(label, 0, "/sittings", "missing_value", "the plan lists no sitting");
        }
    }
    if (const json* staff = f.array(doc, "staff", "", false)) {
        std::set<std::string> seen;
        for (std::size_t i = 0; i < staff->size(); ++i) {
            const std::string path = fmt::format("/staff/{}", i);
            const json& s = (*staff)[i];
            if (!s.is_object()) {
                issues.add(label, 0, path, "wrong_type", "must be an object");
                continue;
            }
            f.unknownKeys(s, path, {"name", "role", "affiliation", "sittings"});
            StaffPlan member;
            member.name = f.text(s, "name", path, true, 64);
            member.role = f.oneOf(s, "role", path, {"proctor", "examiner", "sysadmin"});
            member.affiliation = f.text(s, "affiliation", path);
            if (!seen.insert(member.name + "/" + member.role).second) {
                issues.add(label, 0, path, "duplicate_staff",
                           fmt::format("{} ({}) is listed twice", member.name, member.role));
            }
            if (const json* refs = f.array(s, "sittings", path, false)) {
                for (std::size_t j = 0; j < refs->size(); ++j) {
                    const std::string rpath = fmt::format("{}/sittings/{}", path, j);
                    if (!(*refs)[j].is_string()) {
                        issues.add(label, 0, rpath, "wrong_type", "must be a string");
                        continue;
                    }
                    const std::string ref = (*refs)[j].get<std::string>();
                    const bool known = std::any_of(
                        plan.sittings.begin(), plan.sittings.end(),
                        [&](const SittingPlan& p) { return p.subject + "/" + p.round == ref; });
                    if (!known) {
                        issues.add(label, 0, rpath, "unknown_sitting",
                                   fmt::format("'{}' names no sitting of the plan (use "
                                               "subject/round, e.g. theory/main)",
                                               ref));
                    }
                    member.sittings.push_back(ref);
                }
            }
            plan.staff.push_back(std::move(member));
        }
    }
    const fs::path base = planPath.parent_path();
    if (doc.contains("roster")) {
        if (!doc["roster"].is_string()) {
            issues.add(label, 0, "/roster", "wrong_type",
                       "must name the roster CSV file, relative to the plan");
        } else {
            const std::string name = doc["roster"].get<std::string>();
            readRoster(base / name, name, options, station, issues, plan);
        }
    }
    if (doc.contains("machines")) {
        if (!doc["machines"].is_string()) {
            issues.add(label, 0, "/machines", "wrong_type",
                       "must name the machine registry CSV file, relative to the plan");
        } else {
            const std::string name = doc["machines"].get<std::string>();
            plan.machinesLabel = name;
            readMachines(base / name, name, options, issues, plan, roomCodes,
                         theoryRooms == 1 ? onlyTheoryRoom : std::string());
        }
    }
}

// ---------------------------------------------------------------------------------------
// Checks against what is stored

Expected<std::optional<std::int64_t>> findId(Database& db, const std::string& sql,
                                             std::initializer_list<std::string_view> params) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    int i = 1;
    for (auto p : params) {
        stmt->bind(i++, p);
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    return *row ? std::optional<std::int64_t>(stmt->columnInt(0)) : std::nullopt;
}

Expected<void> checkAgainstStore(Station& station, const Plan& plan, Issues& issues,
                                 const std::string& planLabel) {
    auto& db = station.db();
    auto period = findId(db, "SELECT id FROM period WHERE code = ?", {plan.periodCode});
    if (!period) {
        return tl::unexpected(period.error());
    }
    if (*period) {
        issues.add(planLabel, 0, "/period/code", "period_exists",
                   fmt::format("period {} was already imported", plan.periodCode));
    }
    auto site = findId(db, "SELECT id FROM site WHERE code = ?", {plan.siteCode});
    if (!site) {
        return tl::unexpected(site.error());
    }
    // Rooms that exist keep their kind: a theory room does not silently become practical.
    for (const auto& room : plan.rooms) {
        if (!*site) {
            break;
        }
        auto stmt = db.prepare("SELECT kind FROM room WHERE site_id = ? AND code = ?");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, **site).bind(2, room.code);
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(row.error());
        }
        if (*row && stmt->columnText(0) != room.kind) {
            issues.add(planLabel, 0, "/rooms", "room_kind_changed",
                       fmt::format("room {} is stored as {}, the plan says {}", room.code,
                                   stmt->columnText(0), room.kind));
        }
    }
    // A filed MAC or IP may belong to one machine only, across rooms not being re-filed.
    std::set<std::string> refiledRooms;  // "site/room"
    for (const auto& m : plan.machines) {
        refiledRooms.insert(plan.siteCode + "/" + m.room);
    }
    for (const auto& m : plan.machines) {
        for (const auto& [column, value] : {std::pair<std::string, std::string>{"mac", m.mac},
                                            std::pair<std::string, std::string>{"ip", m.ip}}) {
            if (value.empty()) {
                continue;
            }
            auto stmt = db.prepare(
                "SELECT r.code, m.seat, s.code FROM machine m JOIN room r ON r.id = m.room_id "
                "JOIN site s ON s.id = r.site_id WHERE m." +
                column + " = ?");
            if (!stmt) {
                return tl::unexpected(stmt.error());
            }
            stmt->bind(1, value);
            auto row = stmt->step();
            if (!row) {
                return tl::unexpected(row.error());
            }
            if (*row && !refiledRooms.count(stmt->columnText(2) + "/" + stmt->columnText(0))) {
                issues.add(plan.machinesLabel, m.line, column, "duplicate_" + column,
                           fmt::format("{} {} is already filed for seat {} of room {}", column,
                                       value, stmt->columnText(1), stmt->columnText(0)));
            }
        }
    }
    return {};
}

// ---------------------------------------------------------------------------------------
// Writing

class Writer {
public:
    Writer(Station& station, const Plan& plan, const ImportOptions& options)
        : m_station(station),
          m_db(station.db()),
          m_plan(plan),
          m_options(options),
          m_now(formatUtc(station.clock().now())) {}

    Expected<ImportSummary> write() {
        ImportSummary summary;
        summary.periodCode = m_plan.periodCode;
        summary.siteCode = m_plan.siteCode;
        summary.encodings = m_plan.encodings;
        auto txn = Transaction::begin(m_db);
        if (!txn) {
            return tl::unexpected(txn.error());
        }
        auto siteId = upsertSite();
        if (!siteId) {
            return tl::unexpected(siteId.error());
        }
        std::map<std::string, std::int64_t> roomIds;
        for (const auto& room : m_plan.rooms) {
            auto id = upsertRoom(*siteId, room, summary);
            if (!id) {
                return tl::unexpected(id.error());
            }
            roomIds[room.code] = *id;
        }
        auto periodId = insertPeriod(*siteId);
        if (!periodId) {
            return tl::unexpected(periodId.error());
        }
        summary.periodId = *periodId;
        std::map<std::string, std::int64_t> sittingIds;  // "theory/main" -> first such sitting
        for (const auto& s : m_plan.sittings) {
            auto stmt = m_db.prepare(
                "INSERT INTO sitting (period_id, room_id, subject, round, planned_start, "
                "planned_end) VALUES (?, ?, ?, ?, ?, ?)");
            if (!stmt) {
                return tl::unexpected(stmt.error());
            }
            stmt->bind(1, *periodId).bind(2, roomIds[s.room]).bind(3, s.subject).bind(4, s.round);
            stmt->bind(5, s.startUtc).bind(6, s.endUtc);
            if (auto r = stmt->run(); !r) {
                return tl::unexpected(r.error());
            }
            sittingIds.emplace(s.subject + "/" + s.round, m_db.lastInsertRowId());
            ++summary.sittings;
        }
        for (const auto& member : m_plan.staff) {
            if (auto r = writeStaff(*siteId, *periodId, member, sittingIds); !r) {
                return tl::unexpected(r.error());
            }
            ++summary.staff;
        }
        for (const auto& c : m_plan.roster) {
            if (auto r = writeCandidate(*periodId, c, summary); !r) {
                return tl::unexpected(r.error());
            }
            ++summary.candidates;
            if (m_options.onCandidateWritten) {
                m_options.onCandidateWritten(summary.candidates);
            }
        }
        if (auto r = writeMachines(roomIds, summary); !r) {
            return tl::unexpected(r.error());
        }
        json inputs = json::object();
        for (const auto& [file, digest] : m_plan.inputDigests) {
            inputs[file] = digest;
        }
        auto logged = m_station.log().append({m_options.actor,
                                              "period.imported",
                                              *periodId,
                                              {{"period", m_plan.periodCode},
                                               {"site", m_plan.siteCode},
                                               {"rooms", summary.rooms},
                                               {"cameras", summary.cameras},
                                               {"sittings", summary.sittings},
                                               {"candidates", summary.candidates},
                                               {"new_candidates", summary.newCandidates},
                                               {"photos", summary.photos},
                                               {"machines", summary.machines},
                                               {"staff", summary.staff},
                                               {"inputs_sha256", inputs}}});
        if (!logged) {
            return tl::unexpected(logged.error());
        }
        summary.logSeq = logged->seq;
        if (auto r = txn->commit(); !r) {
            return tl::unexpected(r.error());
        }
        return summary;
    }

private:
    Expected<std::int64_t> upsertSite() {
        auto existing = findId(m_db, "SELECT id FROM site WHERE code = ?", {m_plan.siteCode});
        if (!existing) {
            return tl::unexpected(existing.error());
        }
        if (*existing) {
            return **existing;
        }
        auto stmt = m_db.prepare("INSERT INTO site (code, name, address) VALUES (?, ?, ?)");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, m_plan.siteCode).bind(2, m_plan.siteName).bind(3, m_plan.siteAddress);
        if (auto r = stmt->run(); !r) {
            return tl::unexpected(r.error());
        }
        return m_db.lastInsertRowId();
    }

    Expected<std::int64_t> upsertRoom(std::int64_t siteId, const RoomPlan& room,
                                      ImportSummary& summary) {
        auto existing = findId(
            m_db, "SELECT id FROM room WHERE site_id = " + std::to_string(siteId) + " AND code = ?",
            {room.code});
        if (!existing) {
            return tl::unexpected(existing.error());
        }
        std::int64_t id = 0;
        if (*existing) {
            id = **existing;
        } else {
            auto stmt =
                m_db.prepare("INSERT INTO room (site_id, code, name, kind) VALUES (?, ?, ?, ?)");
            if (!stmt) {
                return tl::unexpected(stmt.error());
            }
            stmt->bind(1, siteId).bind(2, room.code).bind(3, room.name).bind(4, room.kind);
            if (auto r = stmt->run(); !r) {
                return tl::unexpected(r.error());
            }
            id = m_db.lastInsertRowId();
        }
        ++summary.rooms;
        for (const auto& cam : room.cameras) {
            // A camera already known keeps its identity (recordings refer to it); its name,
            // position and stream follow the latest plan.
            auto stmt = m_db.prepare(
                "INSERT INTO camera (room_id, code, name, position, stream_uri) VALUES (?, ?, ?, "
                "?, ?) ON CONFLICT (room_id, code) DO UPDATE SET name = excluded.name, position "
                "= excluded.position, stream_uri = excluded.stream_uri");
            if (!stmt) {
                return tl::unexpected(stmt.error());
            }
            stmt->bind(1, id).bind(2, cam.code).bind(3, cam.name);
            stmt->bind(4, cam.position.empty() ? std::optional<std::string>()
                                               : std::optional<std::string>(cam.position));
            stmt->bind(5, cam.streamUri.empty() ? std::optional<std::string>()
                                                : std::optional<std::string>(cam.streamUri));
            if (auto r = stmt->run(); !r) {
                return tl::unexpected(r.error());
            }
            ++summary.cameras;
        }
        return id;
    }

    Expected<std::int64_t> insertPeriod(std::int64_t siteId) {
        auto stmt = m_db.prepare(
            "INSERT INTO period (site_id, code, institution, trade, training_type, number, "
            "retention_class, retention_years, plan_json, plan_sha256, created_at) VALUES (?, ?, "
            "?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, siteId).bind(2, m_plan.periodCode).bind(3, m_plan.institution);
        stmt->bind(4, m_plan.trade).bind(5, m_plan.trainingType).bind(6, m_plan.number);
        stmt->bind(7, m_plan.retentionClass).bind(8, m_plan.retentionYears);
        stmt->bind(9, m_plan.planText).bind(10, sha256Hex(m_plan.planText)).bind(11, m_now);
        if (auto r = stmt->run(); !r) {
            return tl::unexpected(r.error());
        }
        return m_db.lastInsertRowId();
    }

    Expected<void> writeStaff(std::int64_t siteId, std::int64_t periodId, const StaffPlan& member,
                              const std::map<std::string, std::int64_t>& sittingIds) {
        auto stmt = m_db.prepare(
            "INSERT INTO staff (site_id, name, role, affiliation) VALUES (?, ?, ?, ?) ON CONFLICT "
            "(site_id, name, role) DO UPDATE SET affiliation = excluded.affiliation");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, siteId).bind(2, member.name).bind(3, member.role).bind(4, member.affiliation);
        if (auto r = stmt->run(); !r) {
            return r;
        }
        auto staffId = findId(m_db,
                              "SELECT id FROM staff WHERE site_id = " + std::to_string(siteId) +
                                  " AND name = ? AND role = ?",
                              {member.name, member.role});
        if (!staffId || !*staffId) {
            return fail(ErrorCode::Database, "staff row vanished");
        }
        std::vector<std::optional<std::int64_t>> targets;
        if (member.sittings.empty()) {
            targets.push_back(std::nullopt);
        }
        for (const auto& ref : member.sittings) {
            targets.push_back(sittingIds.at(ref));
        }
        for (const auto& sitting : targets) {
            auto assign = m_db.prepare(
                "INSERT INTO staff_assignment (period_id, staff_id, sitting_id) VALUES (?, ?, ?)");
            if (!assign) {
                return tl::unexpected(assign.error());
            }
            assign->bind(1, periodId).bind(2, **staffId).bind(3, sitting);
            if (auto r = assign->run(); !r) {
                return r;
            }
        }
        return {};
    }

    Expected<void> writeCandidate(std::int64_t periodId, const CandidateRow& c,
                                  ImportSummary& summary) {
        const auto& keys = m_station.keys();
        const std::string lookup = hmacSha256Hex(keys.lookupKey(), c.idNumber);
        auto existing = findId(m_db, "SELECT id FROM candidate WHERE id_number_hmac = ?", {lookup});
        if (!existing) {
            return tl::unexpected(existing.error());
        }
        auto nameEnc = seal(keys.dataKey(), c.name, "candidate.name");
        if (!nameEnc) {
            return tl::unexpected(nameEnc.error());
        }
        std::int64_t candidateId = 0;
        if (*existing) {
            candidateId = **existing;
            // The latest roster spelling of the name wins; the ID number cannot change.
            auto update =
                m_db.prepare("UPDATE candidate SET name_enc = ?, gender = ? WHERE id = ?");
            if (!update) {
                return tl::unexpected(update.error());
            }
            update->bind(1, *nameEnc);
            update->bind(2, c.gender.empty() ? std::optional<std::string>()
                                             : std::optional<std::string>(c.gender));
            update->bind(3, candidateId);
            if (auto r = update->run(); !r) {
                return r;
            }
        } else {
            auto idEnc = seal(keys.dataKey(), c.idNumber, "candidate.id_number");
            if (!idEnc) {
                return tl::unexpected(idEnc.error());
            }
            auto insert = m_db.prepare(
                "INSERT INTO candidate (id_number_hmac, id_number_masked, id_number_enc, name_enc, "
                "gender, created_at) VALUES (?, ?, ?, ?, ?, ?)");
            if (!insert) {
                return tl::unexpected(insert.error());
            }
            insert->bind(1, lookup).bind(2, import::maskIdNumber(c.idNumber)).bind(3, *idEnc);
            insert->bind(4, *nameEnc);
            insert->bind(5, c.gender.empty() ? std::optional<std::string>()
                                             : std::optional<std::string>(c.gender));
            insert->bind(6, m_now);
            if (auto r = insert->run(); !r) {
                return r;
            }
            candidateId = m_db.lastInsertRowId();
            ++summary.newCandidates;
        }
        if (!c.photo.empty()) {
            auto photoEnc = seal(keys.dataKey(), c.photo, "candidate.photo");
            if (!photoEnc) {
                return tl::unexpected(photoEnc.error());
            }
            auto photo = m_db.prepare(
                "INSERT INTO candidate_photo (candidate_id, source, period_id, image_enc, "
                "image_sha256, added_at) VALUES (?, 'roster', ?, ?, ?, ?) ON CONFLICT DO NOTHING");
            if (!photo) {
                return tl::unexpected(photo.error());
            }
            photo->bind(1, candidateId).bind(2, periodId).bind(3, *photoEnc);
            photo->bind(4, sha256Hex(c.photo)).bind(5, m_now);
            if (auto r = photo->run(); !r) {
                return r;
            }
            ++summary.photos;
        }
        auto enroll = m_db.prepare(
            "INSERT INTO enrollment (period_id, candidate_id, seat, exam_number) VALUES (?, ?, ?, "
            "?)");
        if (!enroll) {
            return tl::unexpected(enroll.error());
        }
        enroll->bind(1, periodId).bind(2, candidateId).bind(3, c.seat);
        enroll->bind(4, c.examNumber.empty() ? std::optional<std::string>()
                                             : std::optional<std::string>(c.examNumber));
        return enroll->run();
    }

    Expected<void> writeMachines(const std::map<std::string, std::int64_t>& roomIds,
                                 ImportSummary& summary) {
        // A room's registry is filed as a whole: the new filing replaces the old one.
        std::set<std::int64_t> refiled;
        for (const auto& m : m_plan.machines) {
            refiled.insert(roomIds.at(m.room));
        }
        for (auto roomId : refiled) {
            auto clear = m_db.prepare("DELETE FROM machine WHERE room_id = ?");
            if (!clear) {
                return tl::unexpected(clear.error());
            }
            clear->bind(1, roomId);
            if (auto r = clear->run(); !r) {
                return r;
            }
        }
        for (const auto& m : m_plan.machines) {
            auto stmt = m_db.prepare(
                "INSERT INTO machine (room_id, seat, hostname, mac, ip, role) VALUES (?, ?, ?, ?, "
                "?, ?)");
            if (!stmt) {
                return tl::unexpected(stmt.error());
            }
            stmt->bind(1, roomIds.at(m.room)).bind(2, m.seat);
            stmt->bind(3, m.hostname.empty() ? std::optional<std::string>()
                                             : std::optional<std::string>(m.hostname));
            stmt->bind(4, m.mac).bind(5, m.ip).bind(6, m.role);
            if (auto r = stmt->run(); !r) {
                return r;
            }
            ++summary.machines;
        }
        return {};
    }

    Station& m_station;
    Database& m_db;
    const Plan& m_plan;
    const ImportOptions& m_options;
    std::string m_now;
};

}  // namespace

Expected<ImportResult> importPeriod(Station& station, const ImportOptions& options) {
    Issues issues(options.maxIssues);
    Plan plan;
    const std::string ext = asciiLower(options.file.extension().string());
    if (ext == ".json") {
        readPlanDocument(options.file, options, station, issues, plan);
    } else {
        return fail(ErrorCode::BadInput,
                    fmt::format("{}: a period is imported from its plan (.json), which names its "
                                "roster and machine registry CSV files",
                                options.file.string()));
    }
    if (issues.empty()) {
        if (auto r = checkAgainstStore(station, plan, issues, options.file.filename().string());
            !r) {
            return tl::unexpected(r.error());
        }
    }
    ImportResult result;
    if (!issues.empty()) {
        result.issues = issues.take();
        log().info("import of {} refused: {} issues", options.file.string(), result.issues.size());
        return result;
    }
    Writer writer(station, plan, options);
    auto summary = writer.write();
    if (!summary) {
        return tl::unexpected(summary.error());
    }
    result.summary = std::move(*summary);
    return result;
}

nlohmann::json toJson(const ImportIssue& issue) {
    return {{"file", issue.file},
            {"line", issue.line == 0 ? json(nullptr) : json(issue.line)},
            {"field", issue.field},
            {"code", issue.code},
            {"message", issue.message}};
}

nlohmann::json toJson(const ImportSummary& s) {
    json encodings = json::object();
    for (const auto& [file, encoding] : s.encodings) {
        encodings[file] = encoding;
    }
    return {{"period", s.periodCode},     {"period_id", s.periodId},
            {"site", s.siteCode},         {"rooms", s.rooms},
            {"cameras", s.cameras},       {"sittings", s.sittings},
            {"candidates", s.candidates}, {"new_candidates", s.newCandidates},
            {"photos", s.photos},         {"machines", s.machines},
            {"staff", s.staff},           {"encodings", encodings},
            {"log_seq", s.logSeq}};
}

Expected<PeriodRef> findPeriod(Database& db, const std::string& code) {
    auto stmt = db.prepare("SELECT id, site_id FROM period WHERE code = ?");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, code);
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    if (!*row) {
        return fail(ErrorCode::NotFound, fmt::format("there is no exam period {}", code));
    }
    return PeriodRef{stmt->columnInt(0), stmt->columnInt(1)};
}

}  // namespace examguard::station
