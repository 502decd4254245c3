#include "station/platform/platform_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>

#include <fmt/format.h>

#include "station/crypto.h"
#include "station/import/validators.h"
#include "station/logging.h"

namespace examguard::station::platform {
namespace {

using nlohmann::json;

constexpr const char* kVersion = "1.0.0";
constexpr const char* kContext = "platform_outbox.request";
constexpr std::size_t kMaxReplyBytes = 1 << 20;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
    auto* out = static_cast<std::string*>(user);
    const std::size_t n = size * count;
    if (out->size() + n > kMaxReplyBytes) {
        return 0;  // a reply that large is not the platform's: abort the transfer
    }
    out->append(data, n);
    return n;
}

std::string toText(const Bytes& bytes) {
    return std::string(bytes.begin(), bytes.end());
}

std::string base64Of(const std::string& raw) {
    return base64Encode(std::span(reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
}

// The platform's answer: {"code": 200|500, "msg": "...", "data": {...}}.
struct Answer {
    bool transportOk = false;  // false: retry later
    bool accepted = false;     // code 200 and, for faceCheck, checkResult true
    std::string message;
    json data;
};

Answer interpret(const Expected<HttpReply>& reply, bool isCheck) {
    Answer a;
    if (!reply) {
        a.message = reply.error().detail;
        return a;
    }
    if (reply->status != 200) {
        a.message = fmt::format("HTTP {}", reply->status);
        return a;
    }
    const json body = json::parse(reply->body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("code") ||
        !body["code"].is_number_integer()) {
        a.message = "the platform's reply is not the documented {code, msg, data} JSON";
        return a;
    }
    a.transportOk = true;
    a.message = body.value("msg", std::string());
    a.data = body.contains("data") ? body["data"] : json(nullptr);
    const int code = body["code"].get<int>();
    if (code != 200) {
        return a;
    }
    if (isCheck) {
        a.accepted = a.data.is_object() && a.data.value("checkResult", false);
        if (!a.accepted && a.message.empty()) {
            a.message = "checkResult is false";
        }
    } else {
        a.accepted = true;
    }
    return a;
}

}  // namespace

Expected<HttpReply> CurlTransport::post(const std::string& url,
                                        const std::map<std::string, std::string>& headers,
                                        const std::string& body,
                                        std::chrono::milliseconds timeout) {
    static std::once_flag init;
    std::call_once(init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    CURL* curl = curl_easy_init();
    if (!curl) {
        return fail(ErrorCode::Io, "cannot start an HTTP client");
    }
    curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json;charset=UTF-8");
    for (const auto& [name, value] : headers) {
        list = curl_slist_append(list, (name + ": " + value).c_str());
    }
    HttpReply reply;
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
    const CURLcode rc = curl_easy_perform(curl);
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    if (rc != CURLE_OK) {
        return fail(ErrorCode::Io, fmt::format("platform unreachable: {}", curl_easy_strerror(rc)));
    }
    return reply;
}

Expected<SignedRequest> buildRequest(const PlatformConfig& config, const json& business,
                                     std::chrono::system_clock::time_point now,
                                     const std::string& messageId) {
    std::map<std::string, std::string> params = {
        {"datetime", platformDateTime(now)},
        {"version", kVersion},
        {"message", base64Of(business.dump(-1, ' ', false, json::error_handler_t::replace))}};
    auto signature =
        signRequest(config.privateKeyPem, config.digest, config.appId, params, messageId);
    if (!signature) {
        return tl::unexpected(signature.error());
    }
    json body = {{"datetime", params["datetime"]},
                 {"version", params["version"]},
                 {"message", params["message"]},
                 {"signature", *signature}};
    return SignedRequest{{{"app_id", config.appId}, {"message_id", messageId}}, body.dump()};
}

Expected<std::int64_t> PlatformOutbox::enqueue(const SignIn& signIn, std::string_view actor) {
    const json request = {{"cardNo", signIn.cardNo},
                          {"realName", signIn.realName},
                          {"nation", signIn.nation},
                          {"img", base64Of(signIn.idPhotoJpeg)},
                          {"personPhoto", base64Of(signIn.livePhotoJpeg)}};
    auto sealed = seal(m_station.keys().dataKey(), request.dump(), kContext);
    if (!sealed) {
        return tl::unexpected(sealed.error());
    }
    const std::string masked = import::maskIdNumber(signIn.cardNo);
    const std::string now = formatUtc(m_station.clock().now());
    auto& db = m_station.db();
    auto insert = db.prepare(
        "INSERT INTO platform_outbox (candidate_id, id_number_masked, request_enc, "
        "next_attempt_at, queued_at) VALUES (?, ?, ?, ?, ?)");
    if (!insert) {
        return tl::unexpected(insert.error());
    }
    insert->bind(1, signIn.candidateId).bind(2, masked).bind(3, *sealed).bind(4, now).bind(5, now);
    if (auto r = insert->run(); !r) {
        return tl::unexpected(r.error());
    }
    const std::int64_t id = db.lastInsertRowId();
    auto logged = m_station.log().append({std::string(actor),
                                          "platform.queued",
                                          std::nullopt,
                                          {{"outbox_id", id}, {"id_number", masked}}});
    if (!logged) {
        return tl::unexpected(logged.error());
    }
    return id;
}

Expected<DrainReport> PlatformOutbox::drain() {
    DrainReport report;
    const std::string now = formatUtc(m_station.clock().now());
    std::vector<std::tuple<std::int64_t, std::string, int, std::string>> due;
    {
        auto stmt = m_station.db().prepare(
            "SELECT id, state, attempts, id_number_masked FROM platform_outbox WHERE state IN "
            "('pending_check', 'pending_sign') AND next_attempt_at <= ? ORDER BY id");
        if (!stmt) {
            return tl::unexpected(stmt.error());
        }
        stmt->bind(1, now);
        auto done = stmt->forEachRow([&](Statement& row) {
            due.emplace_back(row.columnInt(0), row.columnText(1),
                             static_cast<int>(row.columnInt(2)), row.columnText(3));
        });
        if (!done) {
            return tl::unexpected(done.error());
        }
    }
    for (const auto& [id, state, attempts, masked] : due) {
        if (auto r = process(id, state, attempts, masked, report); !r) {
            return tl::unexpected(r.error());
        }
    }
    auto pending = m_station.db().prepare(
        "SELECT count(*), min(next_attempt_at) FROM platform_outbox WHERE state IN "
        "('pending_check', 'pending_sign')");
    if (!pending) {
        return tl::unexpected(pending.error());
    }
    if (auto row = pending->step(); row && *row) {
        report.pending = static_cast<int>(pending->columnInt(0));
        report.nextAttemptAt = pending->columnOptionalText(1);
    }
    return report;
}

Expected<void> PlatformOutbox::process(std::int64_t id, const std::string& state, int attempts,
                                       const std::string& maskedId, DrainReport& report) {
    auto& db = m_station.db();
    auto load = db.prepare("SELECT request_enc FROM platform_outbox WHERE id = ?");
    if (!load) {
        return tl::unexpected(load.error());
    }
    load->bind(1, id);
    if (auto row = load->step(); !row || !*row) {
        return fail(ErrorCode::Database, "outbox item vanished");
    }
    auto plain = open(m_station.keys().dataKey(), load->columnBlob(0), kContext);
    if (!plain) {
        return tl::unexpected(plain.error());
    }
    const json request = json::parse(toText(*plain), nullptr, false);

    // Moves the item on and records why, in one transaction with its log entry.
    auto record = [&](const std::string& newState, int newAttempts, const std::string& error,
                      const json& response, const char* logKind) -> Expected<void> {
        auto txn = Transaction::begin(db);
        if (!txn) {
            return tl::unexpected(txn.error());
        }
        const auto nowPoint = m_station.clock().now();
        std::string next = formatUtc(nowPoint);
        if (newAttempts > 0) {
            auto delay = m_config.firstRetry * (1LL << std::min(newAttempts - 1, 20));
            next = formatUtc(nowPoint + std::min<std::chrono::seconds>(delay, m_config.maxRetry));
            report.nextAttemptAt = next;
        }
        const bool final = newState == "done" || newState == "rejected";
        auto update = db.prepare(
            "UPDATE platform_outbox SET state = ?, attempts = ?, next_attempt_at = ?, last_error "
            "= ?, response_json = coalesce(?, response_json), finished_at = ? WHERE id = ?");
        if (!update) {
            return tl::unexpected(update.error());
        }
        update->bind(1, newState).bind(2, newAttempts).bind(3, next);
        update->bind(
            4, error.empty() ? std::optional<std::string>() : std::optional<std::string>(error));
        update->bind(5, response.is_null() ? std::optional<std::string>()
                                           : std::optional<std::string>(response.dump()));
        update->bind(6, final ? std::optional<std::string>(formatUtc(nowPoint)) : std::nullopt);
        update->bind(7, id);
        if (auto r = update->run(); !r) {
            return r;
        }
        if (logKind) {
            json payload = {{"outbox_id", id}, {"id_number", maskedId}};
            if (!error.empty()) {
                payload["reason"] = error;
            }
            if (response.is_object() && response.contains("faceSignTime")) {
                payload["face_sign_time"] = response["faceSignTime"];
            }
            auto logged = m_station.log().append({"station", logKind, std::nullopt, payload});
            if (!logged) {
                return tl::unexpected(logged.error());
            }
        }
        return txn->commit();
    };

    auto send = [&](const char* path, const json& business) {
        const auto messageId = randomBytes(16);
        auto built = buildRequest(m_config, business, m_station.clock().now(),
                                  messageId ? toHex(*messageId) : std::string("0"));
        if (!built) {
            return Expected<HttpReply>(tl::unexpected(built.error()));
        }
        std::string url = m_config.baseUrl;
        while (!url.empty() && url.back() == '/') {
            url.pop_back();
        }
        return m_transport.post(url + path, built->headers, built->body, m_config.timeout);
    };

    std::string current = state;
    int tries = attempts;
    if (current == "pending_check") {
        const Answer a =
            interpret(send("/api/v1/faceCheck", {{"cardNo", request.value("cardNo", "")},
                                                 {"mac", m_config.deviceMac},
                                                 {"realName", request.value("realName", "")},
                                                 {"nation", request.value("nation", "")}}),
                      true);
        if (!a.transportOk) {
            ++report.retrying;
            log().warn("platform faceCheck for {} failed, will retry: {}", maskedId, a.message);
            return record(current, tries + 1, a.message, nullptr, nullptr);
        }
        if (!a.accepted) {
            ++report.rejected;
            return record("rejected", tries, a.message, a.data, "platform.rejected");
        }
        if (auto r = record("pending_sign", 0, "", a.data, "platform.checked"); !r) {
            return r;
        }
        current = "pending_sign";
        tries = 0;
    }
    const Answer a =
        interpret(send("/api/v1/faceSign", {{"cardNo", request.value("cardNo", "")},
                                            {"mac", m_config.deviceMac},
                                            {"realName", request.value("realName", "")},
                                            {"img", request.value("img", "")},
                                            {"personPhoto", request.value("personPhoto", "")}}),
                  false);
    if (!a.transportOk) {
        ++report.retrying;
        log().warn("platform faceSign for {} failed, will retry: {}", maskedId, a.message);
        return record(current, tries + 1, a.message, nullptr, nullptr);
    }
    if (!a.accepted) {
        ++report.rejected;
        return record("rejected", tries, a.message, a.data, "platform.rejected");
    }
    ++report.signedIn;
    return record("done", tries, "", a.data, "platform.signed");
}

}  // namespace examguard::station::platform
