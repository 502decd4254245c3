// libFuzzer target for what arrives from ID-card readers and from the settings file: arbitrary
// bytes go through parseCardJson (as a card file a vendor tool dropped) and parseStationConfig.
// A card that parses must satisfy the invariants the check-in relies on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string_view>

#include "station/checkin/id_card.h"
#include "station/station_config.h"

namespace {

void check(bool condition) {
    if (!condition) {
        std::abort();
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace examguard::station;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    // A directory with no files in it: a named photo can never be found, so nothing outside
    // is read however the name is spelled.
    static const std::filesystem::path empty = [] {
        auto dir = std::filesystem::temp_directory_path() / "examguard-card-fuzz-empty";
        std::filesystem::create_directories(dir);
        return dir;
    }();
    if (auto card = checkin::parseCardJson(text, empty, std::chrono::year(2026) / 11 / 25)) {
        check(card->idNumber.size() == 18);
        check(card->gender == "male" || card->gender == "female");
        check(card->birthDate.size() == 10);
        check(card->maskedIdNumber().find(card->idNumber.substr(6, 8)) == std::string::npos);
    }
    (void)parseStationConfig(text, "fuzz.toml");
    return 0;
}
