// examguard netaudit pcap|live: the LAN audit of the exam network (REQUIREMENTS NET-1..NET-3)
// over a capture file or a live interface; with --period the findings go into the station
// store through the event log.
#include <csignal>
#include <iostream>

#include <fmt/format.h>

#include "commands.h"
#include "netaudit/audit.h"
#include "station/crypto.h"
#include "station/i18n.h"
#include "station/lan_store.h"
#include "station/period_import.h"

namespace examguard::cli {

using station::i18n::tr;
using station::i18n::trf;
namespace na = examguard::netaudit;

namespace {

struct NetauditOptions {
    std::string file;
    std::string iface;
    std::string registry;
    std::string filter;
    std::string period;
    std::vector<std::string> gateways;
    std::vector<std::string> allow;
    double duration = 0;
    bool csv = false;
    bool flows = false;
    bool active = false;
    bool forceLarge = false;
};

std::atomic<bool> g_stop{false};

extern "C" void onSignal(int) {
    g_stop = true;
}

station::ErrorCode toStationCode(na::ErrorCode code) {
    switch (code) {
        case na::ErrorCode::kFileNotFound:
        case na::ErrorCode::kCaptureOpenFailed:
        case na::ErrorCode::kCaptureReadFailed:
        case na::ErrorCode::kUnsupportedLinkType:
        case na::ErrorCode::kRegistryInvalid:
        case na::ErrorCode::kSignaturesInvalid:
            return station::ErrorCode::BadInput;
        case na::ErrorCode::kBadFilter:
        case na::ErrorCode::kInvalidArgument:
            return station::ErrorCode::Invalid;
        default:
            return station::ErrorCode::Io;
    }
}

std::string csvField(const std::string& s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos) {
        return s;
    }
    std::string out = "\"";
    for (char c : s) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    return out + "\"";
}

void printTable(const na::AuditReport& report) {
    std::cout << trf("{} packets from {}; {} hosts; {} findings.", report.packets, report.source,
                     report.hosts.size(), report.findings.size())
              << "\n\n";
    std::cout << fmt::format("{:<18} {:<6} {:<32} {}\n", tr("MAC"), tr("SEAT"), tr("IP ADDRESSES"),
                             tr("HOST NAMES"));
    for (const auto& h : report.hosts) {
        std::string ips, names;
        for (const auto& ip : h.ips) {
            ips += (ips.empty() ? "" : " ") + ip.toString();
        }
        for (const auto& n : h.hostnames) {
            names += (names.empty() ? "" : " ") + n;
        }
        std::cout << fmt::format("{:<18} {:<6} {:<32} {}\n", h.mac.toString(), h.seat.value_or("-"),
                                 ips, names);
    }
    if (!report.findings.empty()) {
        std::cout << '\n' << tr("Findings:") << '\n';
    }
    for (const auto& f : report.findings) {
        std::cout << fmt::format("  {:<22} {:<16} {:<18} {:<14} #{}\n    {}\n",
                                 na::findingKindName(f.kind), f.ip ? f.ip->toString() : "-",
                                 f.mac ? f.mac->toString() : "-", f.app.value_or("-"), f.packet,
                                 f.evidence);
    }
    if (!report.anomalies.empty()) {
        std::string list;
        for (const auto& [name, count] : report.anomalies) {
            list += fmt::format("{}{}={}", list.empty() ? "" : ", ", name, count);
        }
        std::cout << '\n' << trf("Malformed packets skipped: {}", list) << '\n';
    }
}

void printCsv(const na::AuditReport& report) {
    std::cout << "kind,ip,mac,app,packet,first_seen,last_seen,evidence\n";
    for (const auto& f : report.findings) {
        std::cout << fmt::format("{},{},{},{},{},{},{},{}\n", na::findingKindName(f.kind),
                                 f.ip ? f.ip->toString() : "", f.mac ? f.mac->toString() : "",
                                 f.app.value_or(""), f.packet, station::captureTime(f.firstSeenUs),
                                 station::captureTime(f.lastSeenUs), csvField(f.evidence));
    }
}

int runAudit(const CliContext& ctx, const NetauditOptions& o, bool live) {
    na::AuditOptions options;
    options.captureFile = o.file;
    options.bpfFilter = o.filter;
    options.live.interfaceName = o.iface;
    options.live.bpfFilter = o.filter;
    options.includeFlows = o.flows;
    options.active = live && o.active;
    options.activeForceLarge = o.forceLarge;
    options.stopFlag = &g_stop;
    options.duration = std::chrono::milliseconds(static_cast<std::int64_t>(o.duration * 1000));
    for (const auto& text : o.gateways) {
        auto ip = na::IpAddress::parse(text);
        if (!ip) {
            return ctx.reportError({station::ErrorCode::BadInput,
                                    fmt::format("--gateway {}: not an IP address", text)});
        }
        options.gatewayIps.push_back(*ip);
    }
    for (const auto& text : o.allow) {
        auto net = na::IpNetwork::parse(text);
        if (!net) {
            return ctx.reportError(
                {station::ErrorCode::BadInput, fmt::format("--allow {}: not a network", text)});
        }
        options.egressAllowlist.push_back(*net);
    }
    std::optional<station::Station> station;
    std::optional<std::int64_t> periodId;
    if (!o.period.empty()) {
        auto opened = ctx.openStation();
        if (!opened) {
            return ctx.reportError(opened.error());
        }
        station.emplace(std::move(*opened));
        auto period = station::findPeriod(station->db(), o.period);
        if (!period) {
            return ctx.reportError(period.error());
        }
        periodId = period->id;
        if (o.registry.empty()) {
            auto filed = registryOfPeriod(*station, *periodId);
            if (!filed) {
                return ctx.reportError(filed.error());
            }
            options.registry = std::move(*filed);
        }
    }
    options.registryCsvPath = o.registry;
    if (live) {
        g_stop = false;
        std::signal(SIGINT, onSignal);
        std::signal(SIGTERM, onSignal);
    }
    auto report = live ? na::auditLive(options) : na::auditCaptureFile(options);
    if (!report) {
        return ctx.reportError({toStationCode(report.error().code), report.error().detail});
    }
    const nlohmann::json doc = na::toJson(*report, o.flows);
    if (station) {
        // Names and evidence come from packets and may be invalid UTF-8.
        const std::string sha =
            station::sha256Hex(doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        auto seq = storeFindings(*station, *periodId, *report, sha, cliActor());
        if (!seq) {
            return ctx.reportError(seq.error());
        }
        if (!ctx.json && !o.csv) {
            std::cerr << trf("{} findings stored for period {} (event log entry {}).",
                             report->findings.size(), o.period, *seq)
                      << '\n';
        }
    }
    if (ctx.json) {
        ctx.printJson(doc);
    } else if (o.csv) {
        printCsv(*report);
    } else {
        printTable(*report);
    }
    return report->findings.empty() ? kExitOk : kExitProblem;
}

void addCommon(CLI::App* cmd, NetauditOptions& o) {
    cmd->add_option("--registry", o.registry,
                    tr("Machine registry CSV (seat,hostname,mac,ip); default with --period: the "
                       "filed machines"));
    cmd->add_option("--period", o.period, tr("Store the findings for this period"));
    cmd->add_option("--filter", o.filter, tr("BPF filter, as in tcpdump"));
    cmd->add_option("--gateway", o.gateways,
                    tr("Gateway IP that must never change MAC (repeatable)"));
    cmd->add_option("--allow", o.allow,
                    tr("Allowed destination network for exam PCs, e.g. 10.1.0.10/32 (repeatable)"));
    cmd->add_flag("--csv", o.csv, tr("Print the findings as CSV"));
    cmd->add_flag("--flows", o.flows, tr("Include every flow in the JSON report"));
}

}  // namespace

void registerNetauditCommands(CLI::App& app, CliContext& ctx, int& exitCode) {
    auto* netaudit = app.add_subcommand(
        "netaudit", tr("LAN audit: filed machines, ARP spoofing, remote-control software"));
    netaudit->require_subcommand(1);
    auto o = std::make_shared<NetauditOptions>();
    auto* pcap = netaudit->add_subcommand("pcap", tr("Audit a capture file (pcap or pcapng)"));
    pcap->add_option("FILE", o->file, tr("Capture file"))->required();
    addCommon(pcap, *o);
    pcap->callback([&ctx, &exitCode, o] { exitCode = runAudit(ctx, *o, false); });

    auto* live = netaudit->add_subcommand(
        "live", tr("Watch a live interface until the duration ends or Ctrl-C"));
    live->add_option("-i,--iface", o->iface, tr("Network interface"))->required();
    live->add_option("--duration", o->duration,
                     tr("Seconds to watch (default: until interrupted)"));
    live->add_flag("--active", o->active,
                   tr("Also sweep the interface's subnet with ARP and probe remote-control ports "
                      "on every host that answers (only on the exam LAN, before sittings)"));
    live->add_flag("--force-large", o->forceLarge,
                   tr("Allow --active on a subnet larger than a /22"));
    addCommon(live, *o);
    live->callback([&ctx, &exitCode, o] { exitCode = runAudit(ctx, *o, true); });
}

}  // namespace examguard::cli
