// libFuzzer target for the station's reading of agent reports: the bytes are parsed as JSON and,
// when they are an object, signed with a throw-away key so the fuzzer reaches what runs after
// the signature check (adapters, detections, reconciliation with the registry) — a genuine
// agent key on a compromised PC can sign anything. Unsigned inputs exercise the envelope checks.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/report.h"
#include "agent/report_import.h"

namespace {

struct Keys {
    std::filesystem::path privateKey;
    std::string publicPem;
};

const Keys& keys() {
    static const Keys k = [] {
        char dir[] = "/tmp/agent-import-fuzz-XXXXXX";
        if (mkdtemp(dir) == nullptr) {
            std::abort();
        }
        Keys made{std::filesystem::path(dir) / "agent.pem", {}};
        const auto pub = std::filesystem::path(dir) / "agent.pub";
        if (!examguard::agent::generateKey(made.privateKey, pub)) {
            std::abort();
        }
        std::ifstream in(pub);
        std::stringstream text;
        text << in.rdbuf();
        made.publicPem = text.str();
        return made;
    }();
    return k;
}

const std::vector<examguard::agent::FiledMachine> kRegistry = {
    {"A01", "EXAM-PC01", "00:1b:21:3a:50:10", "10.20.1.101"},
    {"A02", "EXAM-PC02", "00-1B-21-3A-50-11", "10.20.1.102"},
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto input =
        nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
    if (input.is_discarded()) {
        return 0;
    }
    const auto never = [](const std::string&) { return false; };
    (void)examguard::agent::importReport(input, keys().publicPem, never, kRegistry);
    if (input.is_object()) {
        auto envelope = examguard::agent::signReport(input, keys().privateKey);
        if (envelope) {
            (void)examguard::agent::importReport(*envelope, keys().publicPem, never, kRegistry);
        }
    }
    return 0;
}
