#include "archive/report.h"

#include <map>
#include <set>

#include <fmt/format.h>

#include "station/i18n.h"
#include "station/markup.h"

namespace examguard::archive {

using nlohmann::json;
using station::i18n::tr;
using station::i18n::trf;

namespace {

// A member parsed as JSON, or null when it is missing or malformed (the archive is untrusted).
json member(const VerifyReport& report, const std::string& name) {
    const auto found = report.kept.find(name);
    if (found == report.kept.end()) {
        return nullptr;
    }
    auto parsed = json::parse(found->second, nullptr, false);
    return parsed.is_discarded() ? json(nullptr) : parsed;
}

std::string text(const json& object, const char* key) {
    if (!object.is_object() || !object.contains(key)) {
        return {};
    }
    const auto& v = object[key];
    if (v.is_string()) {
        return v.get<std::string>();
    }
    if (v.is_number_integer()) {
        return std::to_string(v.get<std::int64_t>());
    }
    if (v.is_number()) {
        return fmt::format("{:.3f}", v.get<double>());
    }
    return {};
}

std::int64_t integer(const json& object, const char* key, std::int64_t otherwise = -1) {
    return object.is_object() && object.contains(key) && object[key].is_number_integer()
               ? object[key].get<std::int64_t>()
               : otherwise;
}

// A copy, so a temporary argument cannot leave a range-for dangling.
json rowsOf(const json& value) {
    return value.is_array() ? value : json::array();
}

std::string escape(std::string_view s) {
    return station::escapeMarkup(s);
}

const char* subjectLabel(const std::string& subject) {
    return subject == "theory" ? tr("theory") : subject == "practical" ? tr("practical") : "?";
}

const char* roundLabel(const std::string& round) {
    return round == "main" ? tr("main") : round == "retake" ? tr("retake") : "?";
}

std::string sittingName(const json& s) {
    return fmt::format("{} {} · {} · {}", subjectLabel(text(s, "subject")),
                       roundLabel(text(s, "round")), text(s, "room_code"),
                       text(s, "planned_start"));
}

CrossCheck rosterVsCheckin(const json& sittings, const json& roster, const json& checkins,
                           const json& events) {
    CrossCheck c{"roster_vs_checkin",
                 tr("Roster vs. checked-in vs. people seen on camera, per sitting"),
                 Verdict::Ok,
                 {},
                 {}};
    if (!sittings.is_array() || !roster.is_array() || !checkins.is_array()) {
        c.verdict = Verdict::NoData;
        c.summary = tr("The sittings, roster or check-in records are missing from the archive.");
        return c;
    }
    int problems = 0;
    for (const auto& s : rowsOf(sittings)) {
        const auto id = integer(s, "id");
        std::set<std::int64_t> admitted;
        for (const auto& k : rowsOf(checkins)) {
            const auto decision = text(k, "override_decision").empty()
                                      ? text(k, "decision")
                                      : text(k, "override_decision");
            if (integer(k, "sitting_id") == id && decision == "pass") {
                admitted.insert(integer(k, "candidate_id"));
            }
        }
        int headcountEvents = 0;
        for (const auto& e : rowsOf(events)) {
            if (integer(e, "sitting_id") == id &&
                (text(e, "kind") == "headcount_mismatch" || text(e, "kind") == "extra_person")) {
                ++headcountEvents;
                c.evidence.push_back(
                    {"data/camera-events.json", "id=" + text(e, "id"),
                     trf("{}: {} on camera {} at {}", sittingName(s), text(e, "kind"),
                         text(e, "camera"), text(e, "start_at"))});
            }
        }
        const auto rosterSize = rowsOf(roster).size();
        if (admitted.size() > rosterSize) {
            ++problems;
        }
        c.evidence.push_back({"data/checkins.json", "sitting_id=" + std::to_string(id),
                              trf("{}: roster {}, admitted {}, camera head-count events {}",
                                  sittingName(s), rosterSize, admitted.size(), headcountEvents)});
        problems += headcountEvents;
    }
    c.verdict = problems > 0 ? Verdict::Problem : Verdict::Ok;
    c.summary = problems > 0
                    ? trf("{} discrepancies between roster, check-in and camera.", problems)
                    : tr("Admissions and camera head counts agree with the roster.");
    return c;
}

CrossCheck refusalsAndOverrides(const json& checkins) {
    CrossCheck c{"refusals_overrides",
                 tr("Refused check-ins, overrides and their reasons"),
                 Verdict::Ok,
                 {},
                 {}};
    if (!checkins.is_array()) {
        c.verdict = Verdict::NoData;
        c.summary = tr("The check-in records are missing from the archive.");
        return c;
    }
    int refused = 0, overrides = 0, unexplained = 0;
    for (const auto& k : rowsOf(checkins)) {
        const bool overridden = !text(k, "override_decision").empty();
        if (text(k, "decision") != "pass" || overridden) {
            refused += text(k, "decision") != "pass" ? 1 : 0;
            overrides += overridden ? 1 : 0;
            const auto reason = overridden ? text(k, "override_reason") : text(k, "reason");
            if (overridden && reason.empty()) {
                ++unexplained;
            }
            c.evidence.push_back(
                {"data/checkins.json", "id=" + text(k, "id"),
                 overridden ? trf("{} {}: {} overridden to {} by {}: {}", text(k, "attempted_at"),
                                  text(k, "id_number_masked"), text(k, "decision"),
                                  text(k, "override_decision"), text(k, "override_by"), reason)
                            : trf("{} {}: {} ({})", text(k, "attempted_at"),
                                  text(k, "id_number_masked"), text(k, "decision"), reason)});
        }
    }
    // Refusals are the system working; an override without a reason is the violation.
    c.verdict = unexplained > 0 ? Verdict::Problem : Verdict::Ok;
    c.summary = trf("{} refused or sent to review, {} overridden, {} overrides without a reason.",
                    refused, overrides, unexplained);
    return c;
}

CrossCheck impersonation(const json& alerts) {
    CrossCheck c{"impersonation",
                 tr("Impersonation alerts (one person under two identities)"),
                 Verdict::Ok,
                 {},
                 {}};
    if (!alerts.is_array()) {
        c.verdict = Verdict::NoData;
        c.summary = tr("The impersonation alerts are missing from the archive.");
        return c;
    }
    for (const auto& a : rowsOf(alerts)) {
        c.evidence.push_back(
            {"data/impersonation-alerts.json", "id=" + text(a, "id"),
             trf("check-in {}: {} (matched {}, distance {})", text(a, "checkin_id"),
                 text(a, "kind"), text(a, "matched_id_masked"), text(a, "distance_other"))});
    }
    c.verdict = c.evidence.empty() ? Verdict::Ok : Verdict::Problem;
    c.summary = trf("{} alerts.", c.evidence.size());
    return c;
}

CrossCheck lanKinds(const json& findings, std::string id, const char* question,
                    const std::set<std::string>& kinds) {
    CrossCheck c{std::move(id), question, Verdict::Ok, {}, {}};
    if (!findings.is_array()) {
        c.verdict = Verdict::NoData;
        c.summary = tr("The LAN audit findings are missing from the archive.");
        return c;
    }
    for (const auto& f : rowsOf(findings)) {
        if (kinds.count(text(f, "kind"))) {
            c.evidence.push_back(
                {"data/lan-findings.json", "id=" + text(f, "id"),
                 fmt::format("{} {} {} {} {}: {}", text(f, "kind"), text(f, "app"), text(f, "ip"),
                             text(f, "mac"), text(f, "seat"), text(f, "evidence"))});
        }
    }
    c.verdict = c.evidence.empty() ? Verdict::Ok : Verdict::Problem;
    c.summary = trf("{} findings.", c.evidence.size());
    return c;
}

CrossCheck cameras(const json& period, const json& sittings, const json& events,
                   const json& recordings) {
    CrossCheck c{
        "cameras", tr("Camera coverage gaps, tampering and proctor absence"), Verdict::Ok, {}, {}};
    if (!events.is_array() || !recordings.is_array() || !sittings.is_array()) {
        c.verdict = Verdict::NoData;
        c.summary = tr("The camera events or the recording index are missing from the archive.");
        return c;
    }
    static const std::set<std::string> tamper = {"covered",    "defocused",      "moved",
                                                 "frozen",     "signal_lost",    "too_dark",
                                                 "too_bright", "proctor_absent", "seat_empty"};
    for (const auto& e : rowsOf(events)) {
        if (tamper.count(text(e, "kind"))) {
            c.evidence.push_back({"data/camera-events.json", "id=" + text(e, "id"),
                                  fmt::format("{} {} {}–{}", text(e, "camera"), text(e, "kind"),
                                              text(e, "start_at"), text(e, "end_at"))});
        }
    }
    // Every camera of a sitting's room must have recordings covering the sitting.
    int gaps = 0;
    for (const auto& s : rowsOf(sittings)) {
        for (const auto& cam : rowsOf(
                 period.is_object() && period.contains("cameras") ? period["cameras"] : json())) {
            if (text(cam, "room_code") != text(s, "room_code")) {
                continue;
            }
            bool covered = false;
            for (const auto& g : rowsOf(recordings)) {
                covered |= text(g, "camera") == text(cam, "code") &&
                           text(g, "start_at") <= text(s, "planned_start") &&
                           text(g, "end_at") >= text(s, "planned_start");
            }
            if (!covered) {
                ++gaps;
                c.evidence.push_back({"data/recordings/index.json", "camera=" + text(cam, "code"),
                                      trf("{}: camera {} has no recording at the start",
                                          sittingName(s), text(cam, "code"))});
            }
        }
    }
    c.verdict = c.evidence.empty() ? Verdict::Ok : Verdict::Problem;
    c.summary = trf("{} camera events, {} sitting starts without recording.",
                    c.evidence.size() - static_cast<std::size_t>(gaps), gaps);
    return c;
}

CrossCheck lateSignIns(const json& reports) {
    CrossCheck c{"late_sign_ins", tr("Sign-ins after a sitting started"), Verdict::Ok, {}, {}};
    if (!reports.is_array()) {
        c.verdict = Verdict::NoData;
        c.summary = tr("The exam-room record reports are missing from the archive.");
        return c;
    }
    for (const auto& r : rowsOf(reports)) {
        for (const auto& late :
             rowsOf(r.is_object() && r.contains("late_sign_in_list") ? r["late_sign_in_list"]
                                                                     : json())) {
            c.evidence.push_back({"data/checkins.json", "id=" + text(late, "checkin_id"),
                                  trf("{} signed in at {}, the sitting started at {}",
                                      text(late, "id_number_masked"), text(late, "attempted_at"),
                                      text(late, "planned_start"))});
        }
    }
    c.verdict = c.evidence.empty() ? Verdict::Ok : Verdict::Problem;
    c.summary = trf("{} late sign-ins.", c.evidence.size());
    return c;
}

CrossCheck trainingSeparation(const json& period, const json& staff) {
    CrossCheck c{"training_separation",
                 tr("Staff from the candidates' training institution (教考分离)"),
                 Verdict::Ok,
                 {},
                 {}};
    const auto institution = text(period, "institution");
    if (!staff.is_array() || institution.empty()) {
        c.verdict = Verdict::NoData;
        c.summary = tr("The staff list or the period's institution is missing from the archive.");
        return c;
    }
    for (const auto& s : rowsOf(staff)) {
        const auto affiliation = text(s, "affiliation");
        if (!affiliation.empty() && (affiliation.find(institution) != std::string::npos ||
                                     institution.find(affiliation) != std::string::npos)) {
            c.evidence.push_back(
                {"data/staff.json", "id=" + text(s, "id"),
                 trf("{} ({}) works for {}", text(s, "name"), text(s, "role"), affiliation)});
        }
    }
    c.verdict = c.evidence.empty() ? Verdict::Ok : Verdict::Problem;
    c.summary = trf("{} staff members from the training institution.", c.evidence.size());
    return c;
}

}  // namespace

const char* verdictName(Verdict verdict) {
    switch (verdict) {
        case Verdict::Ok:
            return "ok";
        case Verdict::Problem:
            return "problem";
        default:
            return "no_data";
    }
}

std::vector<CrossCheck> crossChecks(const VerifyReport& report) {
    const auto period = member(report, "data/period.json");
    const auto sittings = member(report, "data/sittings.json");
    const auto roster = member(report, "data/roster.json");
    const auto checkins = member(report, "data/checkins.json");
    const auto alerts = member(report, "data/impersonation-alerts.json");
    const auto findings = member(report, "data/lan-findings.json");
    const auto events = member(report, "data/camera-events.json");
    const auto recordings = member(report, "data/recordings/index.json");
    const auto staff = member(report, "data/staff.json");
    const auto reports = member(report, "data/reports/record-reports.json");
    return {rosterVsCheckin(sittings, roster, checkins, events),
            refusalsAndOverrides(checkins),
            impersonation(alerts),
            lanKinds(findings, "machines_vs_registry",
                     tr("Machines vs. the filed registry (MAC, IP, seat)"),
                     {"unregistered_device", "missing_device", "mac_ip_mismatch", "duplicate_ip",
                      "arp_spoof"}),
            lanKinds(findings, "remote_control", tr("Remote-control software"),
                     {"remote_control", "forbidden_destination", "installed_software",
                      "wireless_peripheral", "virtual_machine"}),
            cameras(period, sittings, events, recordings),
            lateSignIns(reports),
            trainingSeparation(period, staff)};
}

std::string renderHtml(const VerifyReport& report, const std::vector<CrossCheck>& checks) {
    const auto period = member(report, "data/period.json");
    const auto reports = member(report, "data/reports/record-reports.json");
    std::string h;
    h += "<!DOCTYPE html>\n<html lang=\"";
    h += station::i18n::language() == station::i18n::Language::ZhCN ? "zh-CN" : "en";
    h += "\"><head><meta charset=\"utf-8\"><title>";
    h += escape(trf("Inspection report: exam period {}", text(period, "code")));
    h += "</title><style>body{font-family:sans-serif;margin:2em;max-width:60em}"
         "table{border-collapse:collapse;margin:0.5em 0}td,th{border:1px solid #999;"
         "padding:2px 6px;text-align:left}.ok{color:#060}.problem{color:#b00;font-weight:bold}"
         ".no_data{color:#960}code{font-size:90%}</style></head><body>\n";
    h +=
        "<h1>" + escape(trf("Inspection report: exam period {}", text(period, "code"))) + "</h1>\n";
    h += "<table>";
    auto row = [&](const char* label, const std::string& value) {
        h += "<tr><th>" + escape(label) + "</th><td>" + escape(value) + "</td></tr>";
    };
    row(tr("Site"), text(period, "site_name") + " (" + text(period, "site_code") + ")");
    row(tr("Training institution"), text(period, "institution"));
    row(tr("Trade"), text(period, "trade"));
    row(tr("Retention"),
        text(period, "retention_class") + ", " + trf("{} years", text(period, "retention_years")));
    row(tr("Archive verification"), report.valid
                                        ? std::string(tr("VALID: every check holds"))
                                        : trf("NOT VALID: {} problems", report.errors.size()));
    row(tr("Signed by"),
        report.signer + (report.trusted ? ""
                                        : std::string(" — ") + tr("not checked against a "
                                                                  "trust anchor")));
    row(tr("Signed at"), report.signingTime);
    row(tr("Event log"), trf("{} entries, head {}", report.eventLogEntries, report.eventLogHead));
    h += "</table>\n";
    if (!report.errors.empty()) {
        h += "<h2 class=\"problem\">" + escape(tr("Verification failures")) + "</h2><ul>";
        for (const auto& e : report.errors) {
            h += "<li><code>" + escape(e.code) + "</code> " + escape(e.member) + ": " +
                 escape(e.message) + "</li>";
        }
        h += "</ul>\n<p class=\"problem\">" +
             escape(tr("The archive failed verification: what follows may have been altered.")) +
             "</p>\n";
    }

    h += "<h2>" + escape(tr("Cross-checks")) + "</h2>\n<table><tr><th>" + escape(tr("Question")) +
         "</th><th>" + escape(tr("Verdict")) + "</th><th>" + escape(tr("Summary")) + "</th></tr>";
    for (const auto& c : checks) {
        const char* verdict = c.verdict == Verdict::Ok        ? tr("no problem found")
                              : c.verdict == Verdict::Problem ? tr("problem: see evidence")
                                                              : tr("no data");
        h += fmt::format(
            "<tr id=\"check-{}\"><td><a href=\"#evidence-{}\">{}</a></td><td "
            "class=\"{}\">{}</td><td>{}</td></tr>",
            escape(c.id), escape(c.id), escape(c.question), verdictName(c.verdict), escape(verdict),
            escape(c.summary));
    }
    h += "</table>\n";

    h += "<h2>" + escape(tr("Exam-room record reports (考场记录报告单)")) + "</h2>\n";
    for (const auto& r : rowsOf(reports)) {
        h += "<h3>" +
             escape(fmt::format("{} · {}", subjectLabel(text(r, "subject")),
                                roundLabel(text(r, "round")))) +
             "</h3><table>";
        for (const auto& [key, label] : std::initializer_list<std::pair<const char*, const char*>>{
                 {"roster", tr("Candidates on the roster")},
                 {"checkin_attempts", tr("Check-in attempts")},
                 {"admitted", tr("Admitted")},
                 {"refused", tr("Refused")},
                 {"overrides", tr("Overrides")},
                 {"impersonation_alerts", tr("Impersonation alerts")},
                 {"late_sign_ins", tr("Late sign-ins")},
                 {"lan_findings", tr("LAN findings")},
                 {"camera_events", tr("Camera events")},
                 {"scored", tr("Scored")},
                 {"passed", tr("Passed")},
                 {"absent", tr("Absent")}}) {
            row(label, text(r, key));
        }
        std::string staffList;
        for (const auto& s : rowsOf(r.is_object() && r.contains("staff") ? r["staff"] : json())) {
            staffList += (staffList.empty() ? "" : "; ") + text(s, "name") + " (" +
                         text(s, "role") + ", " + text(s, "affiliation") + ")";
        }
        row(tr("Staff on duty"), staffList);
        std::string noteList;
        for (const auto& n : rowsOf(r.is_object() && r.contains("notes") ? r["notes"] : json())) {
            noteList += (noteList.empty() ? "" : "; ") + text(n, "at") + " " + text(n, "by") +
                        ": " + text(n, "text");
        }
        row(tr("Room record notes"), noteList.empty() ? tr("none") : noteList);
        h += "</table>\n";
    }

    h += "<h2>" + escape(tr("Evidence")) + "</h2>\n";
    for (const auto& c : checks) {
        h += "<h3 id=\"evidence-" + escape(c.id) + "\">" + escape(c.question) + "</h3>";
        if (c.evidence.empty()) {
            h += "<p>" + escape(tr("Nothing to show.")) + "</p>\n";
            continue;
        }
        h += "<ul>";
        for (const auto& e : c.evidence) {
            h += "<li>" + escape(e.text) + " — <code>" + escape(e.member) + "#" +
                 escape(e.locator) + "</code></li>";
        }
        h += "</ul>\n";
    }
    h += "<p><small>" +
         escape(tr("Generated by ExamGuard from the archive alone; references "
                   "like data/checkins.json#id=12 name the record in the archive.")) +
         "</small></p></body></html>\n";
    return h;
}

}  // namespace examguard::archive
