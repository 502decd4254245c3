#include "station/event_log.h"

#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "station/crypto.h"

namespace examguard::station {
namespace {

std::string entryHash(const std::string& prev, const std::string& contentHash) {
    return sha256Hex(prev + ":" + contentHash);
}

constexpr const char* kSelectColumns =
    "SELECT seq, recorded_at, actor, kind, period_id, payload, content_sha256, prev_sha256, "
    "entry_sha256 FROM event_log";

LogEntry readEntry(const Statement& stmt) {
    LogEntry e;
    e.seq = stmt.columnInt(0);
    e.recordedAt = stmt.columnText(1);
    e.actor = stmt.columnText(2);
    e.kind = stmt.columnText(3);
    if (!stmt.isNull(4)) {
        e.periodId = stmt.columnInt(4);
    }
    e.payload = stmt.columnText(5);
    e.contentSha256 = stmt.columnText(6);
    e.prevSha256 = stmt.columnText(7);
    e.entrySha256 = stmt.columnText(8);
    return e;
}

LogVerification broken(LogVerification v, LogProblem problem, std::int64_t seq,
                       std::string detail) {
    v.intact = false;
    v.problem = problem;
    v.badSeq = seq;
    v.detail = std::move(detail);
    return v;
}

}  // namespace

const char* logProblemName(LogProblem problem) {
    switch (problem) {
        case LogProblem::Edited:
            return "edited";
        case LogProblem::Deleted:
            return "deleted";
        case LogProblem::Inserted:
            return "inserted";
        case LogProblem::Reordered:
            return "reordered";
        case LogProblem::ChainBroken:
            return "chain_broken";
        case LogProblem::HeadMismatch:
            return "head_mismatch";
    }
    return "unknown";
}

std::string canonicalJson(const nlohmann::json& value) {
    // nlohmann's object keeps keys sorted; dump() without indent has no whitespace, and
    // UTF-8 stays UTF-8. Invalid UTF-8 is replaced rather than thrown on.
    return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string canonicalContent(const LogEntry& entry) {
    // The payload is embedded verbatim: it is already canonical, and re-serialising it
    // would hide byte-level edits.
    nlohmann::json head = {
        {"actor", entry.actor}, {"kind", entry.kind}, {"recorded_at", entry.recordedAt}};
    head["period_id"] = entry.periodId ? nlohmann::json(*entry.periodId) : nlohmann::json(nullptr);
    std::string text = canonicalJson(head);
    text.pop_back();  // drop the closing brace, append the payload as the last member
    text += ",\"payload\":";
    text += entry.payload;
    text += "}";
    return text;
}

Expected<LogEntry> EventLog::append(const LogEvent& event) {
    auto last = m_db.prepare("SELECT entry_sha256 FROM event_log ORDER BY seq DESC LIMIT 1");
    if (!last) {
        return tl::unexpected(last.error());
    }
    auto hasRow = last->step();
    if (!hasRow) {
        return tl::unexpected(hasRow.error());
    }
    LogEntry e;
    e.prevSha256 = *hasRow ? last->columnText(0) : std::string(kGenesisHash);
    e.recordedAt = formatUtc(m_clock.now());
    e.actor = event.actor;
    e.kind = event.kind;
    e.periodId = event.periodId;
    e.payload = canonicalJson(event.payload.is_null() ? nlohmann::json::object() : event.payload);
    e.contentSha256 = sha256Hex(canonicalContent(e));
    e.entrySha256 = entryHash(e.prevSha256, e.contentSha256);

    auto insert = m_db.prepare(
        "INSERT INTO event_log (recorded_at, actor, kind, period_id, payload, content_sha256, "
        "prev_sha256, entry_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    if (!insert) {
        return tl::unexpected(insert.error());
    }
    insert->bind(1, e.recordedAt)
        .bind(2, e.actor)
        .bind(3, e.kind)
        .bind(4, e.periodId)
        .bind(5, e.payload)
        .bind(6, e.contentSha256)
        .bind(7, e.prevSha256)
        .bind(8, e.entrySha256);
    if (auto r = insert->run(); !r) {
        return tl::unexpected(r.error());
    }
    e.seq = m_db.lastInsertRowId();
    return e;
}

Expected<LogEntry> EventLog::appendNow(const LogEvent& event) {
    auto txn = Transaction::begin(m_db);
    if (!txn) {
        return tl::unexpected(txn.error());
    }
    auto entry = append(event);
    if (!entry) {
        return entry;
    }
    if (auto r = txn->commit(); !r) {
        return tl::unexpected(r.error());
    }
    return entry;
}

Expected<void> EventLog::forEach(const std::function<bool(const LogEntry&)>& visit,
                                 std::optional<std::int64_t> periodId, std::int64_t afterSeq) {
    std::string sql = kSelectColumns;
    sql +=
        periodId ? " WHERE seq > ? AND period_id = ? ORDER BY seq" : " WHERE seq > ? ORDER BY seq";
    auto stmt = m_db.prepare(sql);
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    stmt->bind(1, afterSeq);
    if (periodId) {
        stmt->bind(2, *periodId);
    }
    while (true) {
        auto row = stmt->step();
        if (!row) {
            return tl::unexpected(row.error());
        }
        if (!*row || !visit(readEntry(*stmt))) {
            return {};
        }
    }
}

Expected<std::string> EventLog::head() {
    auto stmt = m_db.prepare("SELECT entry_sha256 FROM event_log ORDER BY seq DESC LIMIT 1");
    if (!stmt) {
        return tl::unexpected(stmt.error());
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(row.error());
    }
    return *row ? stmt->columnText(0) : std::string(kGenesisHash);
}

Expected<LogVerification> EventLog::verify(const std::optional<std::string>& expectedHead) {
    // Only the hashes and seq are kept for the whole log (about 140 bytes an entry), so a
    // log of millions of entries verifies in bounded memory.
    struct Link {
        std::int64_t seq;
        std::string prev;
        std::string entry;
    };
    std::vector<Link> links;
    LogVerification result;
    std::optional<LogVerification> firstEdit;
    auto walked = forEach([&](const LogEntry& e) {
        const std::string content = sha256Hex(canonicalContent(e));
        if (!firstEdit && content != e.contentSha256) {
            firstEdit = broken(result, LogProblem::Edited, e.seq,
                               fmt::format("entry {} ({}) was edited: its content no longer "
                                           "matches its SHA-256",
                                           e.seq, e.kind));
        } else if (!firstEdit && entryHash(e.prevSha256, e.contentSha256) != e.entrySha256) {
            firstEdit = broken(result, LogProblem::Edited, e.seq,
                               fmt::format("entry {} ({}) was edited: its stored hashes do not "
                                           "match each other",
                                           e.seq, e.kind));
        }
        links.push_back(Link{e.seq, e.prevSha256, e.entrySha256});
        return true;
    });
    if (!walked) {
        return tl::unexpected(walked.error());
    }
    result.entries = static_cast<std::int64_t>(links.size());
    result.headSha256 = links.empty() ? std::string(kGenesisHash) : links.back().entry;

    std::unordered_map<std::string, std::size_t> position;
    position.reserve(links.size());
    for (std::size_t i = 0; i < links.size(); ++i) {
        position.emplace(links[i].entry, i);
    }
    // Where in stored order the entry with this hash sits; -1 for the genesis hash.
    constexpr long kUnknown = -2;
    auto indexOf = [&](const std::string& hash) -> long {
        if (hash == kGenesisHash) {
            return -1;
        }
        const auto found = position.find(hash);
        return found == position.end() ? kUnknown : static_cast<long>(found->second);
    };
    auto hashBefore = [&](std::size_t i) {
        return i == 0 ? std::string(kGenesisHash) : links[i - 1].entry;
    };
    std::optional<LogVerification> firstLink;
    for (std::size_t i = 0; i < links.size() && !firstLink; ++i) {
        if (links[i].prev == hashBefore(i)) {
            continue;
        }
        const long at = indexOf(links[i].prev);
        const long here = static_cast<long>(i);
        const bool nextSkipsThis = i + 1 < links.size() && links[i + 1].prev == hashBefore(i);
        if (at > here) {
            firstLink = broken(result, LogProblem::Reordered, links[i].seq,
                               fmt::format("entry {} is out of order: it was written after entry "
                                           "{}, which is stored after it",
                                           links[i].seq, links[static_cast<std::size_t>(at)].seq));
        } else if (at != kUnknown && at + 1 < here) {
            const auto& inserted = links[static_cast<std::size_t>(at + 1)];
            firstLink = broken(
                result, LogProblem::Inserted, inserted.seq,
                fmt::format(
                    "entry {} was inserted: in the chain, entry {} "
                    "follows {}",
                    inserted.seq, links[i].seq,
                    at < 0 ? std::string("the start of the log")
                           : fmt::format("entry {}", links[static_cast<std::size_t>(at)].seq)));
        } else if (nextSkipsThis) {
            firstLink = broken(
                result, LogProblem::Inserted, links[i].seq,
                fmt::format("entry {} was inserted: it is not part of the chain", links[i].seq));
        } else if (at == kUnknown) {
            firstLink =
                broken(result, LogProblem::Deleted, links[i].seq,
                       i == 0 ? fmt::format("entries before entry {} were deleted", links[i].seq)
                              : fmt::format("entries between entry {} and entry {} were deleted",
                                            links[i - 1].seq, links[i].seq));
        } else {
            firstLink = broken(result, LogProblem::ChainBroken, links[i].seq,
                               fmt::format("entry {} does not follow entry {} in the chain",
                                           links[i].seq, i == 0 ? 0 : links[i - 1].seq));
        }
    }
    // Report whichever problem comes first in the stored order, with the totals of the walk.
    for (auto* found : {&firstEdit, &firstLink}) {
        if (*found) {
            (*found)->entries = result.entries;
            (*found)->headSha256 = result.headSha256;
        }
    }
    if (firstEdit && (!firstLink || firstEdit->badSeq <= firstLink->badSeq)) {
        return *firstEdit;
    }
    if (firstLink) {
        return *firstLink;
    }
    if (expectedHead && *expectedHead != result.headSha256) {
        const bool known = position.count(*expectedHead) > 0;
        return broken(result, LogProblem::HeadMismatch, links.empty() ? 0 : links.back().seq,
                      known ? fmt::format("entries after the expected head were added (expected "
                                          "head {}, log ends at {})",
                                          *expectedHead, result.headSha256)
                            : fmt::format("the log does not end at the expected head {}: "
                                          "entries at its end were deleted or replaced",
                                          *expectedHead));
    }
    return result;
}

}  // namespace examguard::station
