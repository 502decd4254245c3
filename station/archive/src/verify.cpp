#include "archive/verify.h"

#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "archive/bagit.h"
#include "archive/signing.h"
#include "archive/timestamp.h"
#include "station/database.h"
#include "station/event_log.h"

namespace examguard::archive {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char* kEventLogMember = "data/event-log.jsonl";
constexpr const char* kSummaryMember = "data/summary.json";
constexpr const char* kRecordingIndexMember = "data/recordings/index.json";
constexpr std::size_t kMaxManifestEntries = 200000;

std::span<const unsigned char> bytesOf(std::string_view s) {
    return {reinterpret_cast<const unsigned char*>(s.data()), s.size()};
}

bool keptMember(const std::string& name) {
    // Tag files and the JSON records; never videos or other large payload.
    if (name.find('/') == std::string::npos) {
        return true;
    }
    return name.starts_with("data/") &&
           (name.ends_with(".json") || name.ends_with(".jsonl") || name.ends_with(".cms"));
}

class Checker {
public:
    Checker(const fs::path& path, const VerifyOptions& options)
        : m_path(path), m_options(options) {}

    VerifyReport run(ZipContents contents) {
        for (auto& p : contents.problems) {
            failure(p.code, p.member, p.message);
        }
        for (auto& m : contents.members) {
            if (m.content) {
                m_report.kept[m.name] = *m.content;
            }
            m_members.emplace(m.name, &m);
        }
        m_order = &contents.members;
        checkTagFiles();
        checkPayload();
        checkOrder();
        checkEventLog();
        checkRecordings();
        checkContainerSeal();
        m_report.valid = m_report.errors.empty();
        return std::move(m_report);
    }

    // The whole file against the bare signature in the ZIP comment, checked with the key of
    // the certificate that signed the tag manifest (itself checked against the trust anchor).
    void checkContainerSeal() {
        auto tail = readContainerTail(m_path);
        if (!tail) {
            failure("container_seal", "", tail.error().detail);
            return;
        }
        const std::string prefix = std::string(kContainerSealMagic) + " ";
        const std::string_view comment(reinterpret_cast<const char*>(tail->comment.data()),
                                       tail->comment.size());
        if (!comment.starts_with(prefix) || !comment.ends_with("\n")) {
            failure("container_seal", "",
                    "the ZIP carries no ExamGuard container seal (was it repacked?)");
            return;
        }
        const auto encoded = comment.substr(prefix.size(), comment.size() - prefix.size() - 1);
        auto signature = station::base64Decode(encoded);
        if (!signature || station::base64Encode(*signature) != encoded) {
            failure("container_seal", "", "the container seal is not canonical base64");
            return;
        }
        if (m_signerCertificate.empty()) {
            failure("container_seal", "",
                    "cannot be checked: the tag-manifest signature, which names the station's "
                    "certificate, is missing or unreadable");
            return;
        }
        auto digest = sha256OfPrefix(m_path, tail->signedLength);
        if (!digest) {
            failure("container_seal", "", digest.error().detail);
            return;
        }
        const auto content = containerSealContent(*digest, tail->signedLength);
        if (!verifyRaw(m_signerCertificate, bytesOf(content), *signature)) {
            failure("container_seal", "",
                    "the archive's bytes do not match the station's seal over them (altered "
                    "after sealing)");
        }
    }

    VerifyReport& report() { return m_report; }

private:
    void failure(std::string code, std::string member, std::string message) {
        m_report.errors.push_back({std::move(code), std::move(member), std::move(message)});
    }

    const std::string* content(const std::string& name) {
        const auto found = m_report.kept.find(name);
        return found == m_report.kept.end() ? nullptr : &found->second;
    }

    // The time-stamp on the tag-manifest signature; returns its time when a trusted TSA vouches
    // for it (the signer's chain is then checked at that time, not at the time the station
    // claims), else 0.
    std::time_t checkTimestampOf(const std::string& signature) {
        const auto stamp = checkTimestamp(bytesOf(signature), m_options.tsaTrustPem);
        const bool anchorGiven = !m_options.tsaTrustPem.empty();
        if (!stamp.present) {
            if (!stamp.error.empty()) {
                return 0;  // the signature itself is broken: reported by its own check
            }
            if (anchorGiven) {
                failure("timestamp", kTagSignatureFile,
                        "a TSA trust anchor was given but the signature carries no time-stamp");
            }
            return 0;
        }
        m_report.timestamp = VerifyReport::Timestamp{stamp.time, stamp.authority, stamp.trusted};
        if (!stamp.intact) {
            failure("timestamp", kTagSignatureFile, stamp.error);
        } else if (!stamp.trusted && anchorGiven) {
            failure("timestamp_trust", kTagSignatureFile, stamp.error);
        } else if (!stamp.trusted) {
            m_report.warnings.push_back(
                "no TSA trust anchor given (--tsa-trust): the time-stamp matches the signature, "
                "but the time-stamping authority was not checked");
        }
        return stamp.trusted ? stamp.at : 0;
    }

    void checkTagFiles() {
        for (const char* name :
             {kBagitFile, kBagInfoFile, kManifestFile, kTagManifestFile, kTagSignatureFile}) {
            if (content(name) == nullptr) {
                failure("member_missing", name, "a required BagIt tag file is missing");
            }
        }
        if (const auto* bagit = content(kBagitFile); bagit && *bagit != kBagitDeclaration) {
            failure("structure", kBagitFile, "not a BagIt 1.0 UTF-8 declaration");
        }
        const auto* tagManifest = content(kTagManifestFile);
        const auto* signature = content(kTagSignatureFile);
        if (tagManifest && signature) {
            const std::time_t stampedAt = checkTimestampOf(*signature);
            const auto check = verifyDetached(bytesOf(*signature), bytesOf(*tagManifest),
                                              m_options.trustPem, stampedAt);
            m_report.signer = check.signer;
            m_report.signingTime = check.signingTime;
            m_report.trusted = check.trusted;
            m_signerCertificate = check.signerCertificate;
            if (!check.intact) {
                failure("signature", kTagSignatureFile, check.error);
            } else if (!check.trusted && !m_options.trustPem.empty()) {
                failure("trust", kTagSignatureFile, check.error);
            } else if (!check.trusted) {
                m_report.warnings.push_back(
                    "no trust anchor given (--trust): the archive is intact and signed, but "
                    "who signed it was not checked");
            }
        }
        if (tagManifest) {
            auto entries = parseManifest(*tagManifest, kTagManifestFile, 16);
            if (!entries) {
                failure("manifest", kTagManifestFile, entries.error().detail);
            } else {
                checkListed(*entries, kTagManifestFile, {kBagitFile, kBagInfoFile, kManifestFile});
            }
        }
        if (const auto* info = content(kBagInfoFile)) {
            auto parsed = parseBagInfo(*info, kBagInfoFile);
            if (!parsed) {
                failure("manifest", kBagInfoFile, parsed.error().detail);
            } else {
                m_bagInfo = std::move(*parsed);
            }
        }
    }

    // Every file `expected` names is listed once with a matching hash, and nothing else is.
    void checkListed(const std::vector<ManifestEntry>& entries, const char* manifestName,
                     const std::set<std::string>& expected) {
        std::set<std::string> listed;
        for (const auto& e : entries) {
            if (!listed.insert(e.path).second) {
                failure("manifest", manifestName, fmt::format("lists {} twice", e.path));
                continue;
            }
            if (!expected.count(e.path)) {
                failure("member_extra", e.path,
                        fmt::format("{} lists a file that does not belong there", manifestName));
                continue;
            }
            const auto member = m_members.find(e.path);
            if (member == m_members.end()) {
                failure("member_missing", e.path,
                        fmt::format("listed in {} but not in the archive", manifestName));
            } else if (member->second->sha256 != e.sha256) {
                failure("member_hash", e.path,
                        fmt::format("its SHA-256 differs from {} (altered)", manifestName));
            }
        }
        for (const auto& name : expected) {
            if (!listed.count(name)) {
                failure("manifest", manifestName, fmt::format("does not list {}", name));
            }
        }
    }

    void checkPayload() {
        const auto* manifest = content(kManifestFile);
        if (!manifest) {
            return;
        }
        auto entries = parseManifest(*manifest, kManifestFile, kMaxManifestEntries);
        if (!entries) {
            failure("manifest", kManifestFile, entries.error().detail);
            return;
        }
        std::set<std::string> payloadMembers;
        std::uint64_t payloadBytes = 0;
        for (const auto& [name, member] : m_members) {
            if (name.starts_with("data/")) {
                payloadMembers.insert(name);
                payloadBytes += member->size;
            }
        }
        std::set<std::string> listed;
        for (const auto& e : *entries) {
            if (!e.path.starts_with("data/")) {
                failure("manifest", kManifestFile,
                        fmt::format("lists {}, which is outside data/", e.path));
            }
            listed.insert(e.path);
        }
        // A payload member the manifest does not list was added after sealing.
        for (const auto& name : payloadMembers) {
            if (!listed.count(name)) {
                failure("member_extra", name, "in the archive but not in the manifest (added)");
            }
        }
        for (const auto& [name, member] : m_members) {
            const bool tag = name == kBagitFile || name == kBagInfoFile || name == kManifestFile ||
                             name == kTagManifestFile || name == kTagSignatureFile;
            if (!tag && !name.starts_with("data/")) {
                failure("member_extra", name, "neither a BagIt tag file nor payload (added)");
            }
        }
        checkListed(*entries, kManifestFile, listed);
        m_manifestOrder.clear();
        for (const auto& e : *entries) {
            m_manifestOrder.push_back(e.path);
        }
        m_report.files = entries->size();
        if (auto oxum = bagInfoValue(m_bagInfo, "Payload-Oxum")) {
            const auto expected = fmt::format("{}.{}", payloadBytes, payloadMembers.size());
            if (*oxum != expected) {
                failure("structure", kBagInfoFile,
                        fmt::format("Payload-Oxum says {}, the payload is {}", *oxum, expected));
            }
        }
    }

    // Members are stored in the manifest's order, then the tag files: moving one is a change.
    void checkOrder() {
        if (m_manifestOrder.empty()) {
            return;
        }
        std::vector<std::string> expected = m_manifestOrder;
        for (const char* tag :
             {kBagitFile, kBagInfoFile, kManifestFile, kTagManifestFile, kTagSignatureFile}) {
            expected.emplace_back(tag);
        }
        const auto& stored = *m_order;
        for (std::size_t i = 0; i < stored.size() && i < expected.size(); ++i) {
            if (stored[i].name != expected[i]) {
                failure("member_order", stored[i].name,
                        fmt::format("stored at position {} where {} belongs (members were "
                                    "reordered, added or removed)",
                                    i + 1, expected[i]));
                return;
            }
        }
    }

    void checkEventLog() {
        const auto* text = content(kEventLogMember);
        if (text == nullptr) {
            failure("member_missing", kEventLogMember, "the event log is missing");
            return;
        }
        auto db = station::Database::open(":memory:");
        if (!db || !db->exec("CREATE TABLE event_log (seq INTEGER PRIMARY KEY, recorded_at TEXT "
                             "NOT NULL, actor TEXT NOT NULL, kind TEXT NOT NULL, period_id "
                             "INTEGER, payload TEXT NOT NULL, content_sha256 TEXT NOT NULL, "
                             "prev_sha256 TEXT NOT NULL, entry_sha256 TEXT NOT NULL)")) {
            failure("event_log", kEventLogMember, "cannot open a scratch database to check it");
            return;
        }
        auto insert = db->prepare("INSERT INTO event_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert || !db->exec("BEGIN")) {
            failure("event_log", kEventLogMember, "cannot prepare the scratch database");
            return;
        }
        std::size_t lineNumber = 0;
        std::size_t start = 0;
        while (start < text->size()) {
            ++lineNumber;
            auto end = text->find('\n', start);
            if (end == std::string::npos) {
                end = text->size();
            }
            const auto line = std::string_view(*text).substr(start, end - start);
            start = end + 1;
            auto entry = json::parse(line, nullptr, false);
            auto str = [&](const char* key) -> const std::string* {
                return entry.is_object() && entry.contains(key) && entry[key].is_string()
                           ? entry[key].get_ptr<const std::string*>()
                           : nullptr;
            };
            const bool wellFormed =
                entry.is_object() && entry.contains("seq") && entry["seq"].is_number_integer() &&
                entry.contains("period_id") &&
                (entry["period_id"].is_null() || entry["period_id"].is_number_integer()) &&
                str("recorded_at") && str("actor") && str("kind") && str("payload") &&
                str("content_sha256") && str("prev_sha256") && str("entry_sha256");
            if (!wellFormed) {
                failure("event_log", kEventLogMember,
                        fmt::format("line {} is not a well-formed log entry", lineNumber));
                return;
            }
            insert->reset();
            insert->bind(1, entry["seq"].get<std::int64_t>())
                .bind(2, *str("recorded_at"))
                .bind(3, *str("actor"))
                .bind(4, *str("kind"));
            if (entry["period_id"].is_null()) {
                insert->bindNull(5);
            } else {
                insert->bind(5, entry["period_id"].get<std::int64_t>());
            }
            insert->bind(6, *str("payload"))
                .bind(7, *str("content_sha256"))
                .bind(8, *str("prev_sha256"))
                .bind(9, *str("entry_sha256"));
            if (!insert->run()) {
                failure("event_log", kEventLogMember,
                        fmt::format("line {} repeats an earlier entry's number", lineNumber));
                return;
            }
        }
        (void)db->exec("COMMIT");
        const auto sealedHead = bagInfoValue(m_bagInfo, "ExamGuard-Event-Log-Head");
        if (!sealedHead) {
            failure("event_log", kBagInfoFile, "does not record the event log's head");
        }
        station::EventLog log(*db, station::systemClock());
        auto result = log.verify(sealedHead);
        if (!result) {
            failure("event_log", kEventLogMember, result.error().detail);
            return;
        }
        m_report.eventLogHead = result->headSha256;
        m_report.eventLogEntries = result->entries;
        if (!result->intact) {
            failure("event_log", kEventLogMember,
                    fmt::format("entry {}: {} — {}", result->badSeq,
                                station::logProblemName(*result->problem), result->detail));
        }
    }

    void checkRecordings() {
        const auto* text = content(kRecordingIndexMember);
        if (text == nullptr) {
            failure("member_missing", kRecordingIndexMember, "the recording index is missing");
            return;
        }
        auto index = json::parse(*text, nullptr, false);
        if (!index.is_array()) {
            failure("structure", kRecordingIndexMember, "is not a JSON array");
            return;
        }
        for (const auto& segment : index) {
            const bool wellFormed = segment.is_object() && segment.contains("file") &&
                                    segment["file"].is_string() && segment.contains("sha256") &&
                                    segment["sha256"].is_string();
            if (!wellFormed) {
                failure("structure", kRecordingIndexMember, "a segment lacks file or sha256");
                continue;
            }
            const auto file = segment["file"].get<std::string>();
            const auto sha = segment["sha256"].get<std::string>();
            if (segment.contains("member") && segment["member"].is_string()) {
                const auto member = m_members.find(segment["member"].get<std::string>());
                if (member == m_members.end()) {
                    failure("recording_missing", segment["member"].get<std::string>(),
                            "the index says it is included but it is not");
                } else if (member->second->sha256 != sha) {
                    failure("recording_hash", member->first,
                            "differs from the SHA-256 logged when it was recorded");
                }
            }
            if (!m_options.recordings) {
                continue;
            }
            if (auto reason = unsafeNameReason(file, 400)) {
                failure("unsafe_name", file, "recording path in the index: " + *reason);
                continue;
            }
            const fs::path onDisk = *m_options.recordings / file;
            std::error_code ec;
            if (!fs::is_regular_file(onDisk, ec)) {
                failure("recording_missing", file,
                        fmt::format("not found in {}", m_options.recordings->string()));
                continue;
            }
            auto actual = sha256OfPrefix(onDisk, fs::file_size(onDisk, ec));
            ++m_report.recordingsChecked;
            if (!actual || *actual != sha) {
                failure("recording_hash", file,
                        "differs from the SHA-256 logged when it was recorded (altered)");
            }
        }
    }

    fs::path m_path;
    const VerifyOptions& m_options;
    VerifyReport m_report;
    std::unordered_map<std::string, ZipMember*> m_members;
    const std::vector<ZipMember>* m_order = nullptr;
    std::vector<std::string> m_manifestOrder;
    BagInfo m_bagInfo;
    station::Bytes m_signerCertificate;
};

}  // namespace

station::Expected<VerifyReport> verifyArchive(const fs::path& path, const VerifyOptions& options) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        return station::fail(station::ErrorCode::Io,
                             fmt::format("{} is not a readable file", path.string()));
    }
    Checker checker(path, options);
    auto contents = readZip(path, options.limits, keptMember);
    if (!contents) {
        checker.checkContainerSeal();
        checker.report().errors.push_back({"structure", "", contents.error().detail});
        checker.report().valid = false;
        return std::move(checker.report());
    }
    auto report = checker.run(std::move(*contents));
    if (const auto found = report.kept.find(kSummaryMember); found != report.kept.end()) {
        auto summary = json::parse(found->second, nullptr, false);
        if (summary.is_object()) {
            report.summary = std::move(summary);
        }
    }
    return report;
}

}  // namespace examguard::archive
