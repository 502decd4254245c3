#include "station/checkin/id_card.h"

#include <algorithm>
#include <fstream>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "station/file_io.h"
#include "station/import/text_encoding.h"
#include "station/import/validators.h"

namespace examguard::station::checkin {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxTextField = 256;  // bytes; the card's longest field is the address

Error badField(std::string_view field, std::string_view what) {
    return Error{ErrorCode::BadInput, fmt::format("card field \"{}\": {}", field, what)};
}

// An optional string field; absent and null are both "".
Expected<std::string> textField(const json& card, const char* field, bool required) {
    if (!card.contains(field) || card[field].is_null()) {
        if (required) {
            return tl::unexpected(badField(field, "missing"));
        }
        return std::string();
    }
    if (!card[field].is_string()) {
        return tl::unexpected(badField(field, "not a string"));
    }
    std::string value = card[field].get<std::string>();
    if (value.size() > kMaxTextField) {
        return tl::unexpected(badField(field, fmt::format("longer than {} bytes", kMaxTextField)));
    }
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
        return tl::unexpected(badField(field, "contains control characters"));
    }
    if (required && value.find_first_not_of(' ') == std::string::npos) {
        return tl::unexpected(badField(field, "empty"));
    }
    return value;
}

std::string formatDate(std::chrono::year_month_day d) {
    return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()),
                       static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

// "2019-05-14", "20190514" or "2019.05.14" (what readers print on the card) → YYYY-MM-DD.
std::optional<std::chrono::year_month_day> parseCardDate(std::string_view text) {
    std::string digits;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c != '-' && c != '.' && c != '/') {
            return std::nullopt;
        }
    }
    if (digits.size() != 8) {
        return std::nullopt;
    }
    const std::chrono::year_month_day d{std::chrono::year(std::stoi(digits.substr(0, 4))),
                                        std::chrono::month(std::stoul(digits.substr(4, 2))),
                                        std::chrono::day(std::stoul(digits.substr(6, 2)))};
    return d.ok() ? std::optional(d) : std::nullopt;
}

Expected<std::string> validityDate(const json& card, const char* field) {
    auto text = textField(card, field, false);
    if (!text || text->empty() || *text == "长期") {
        return text;
    }
    auto date = parseCardDate(*text);
    if (!date) {
        return tl::unexpected(badField(field, "not a date (YYYY-MM-DD or 长期)"));
    }
    return formatDate(*date);
}

Expected<Bytes> cardPhoto(const json& card, const fs::path& baseDir) {
    Bytes photo;
    if (card.contains("photo_base64") && !card["photo_base64"].is_null()) {
        if (!card["photo_base64"].is_string()) {
            return tl::unexpected(badField("photo_base64", "not a string"));
        }
        const auto& text = card["photo_base64"].get_ref<const std::string&>();
        if (text.size() > kMaxCardPhotoBytes * 4 / 3 + 4) {
            return tl::unexpected(badField("photo_base64", "larger than the photo limit"));
        }
        auto decoded = base64Decode(text);
        if (!decoded) {
            return tl::unexpected(badField("photo_base64", "not Base64"));
        }
        photo = std::move(*decoded);
    } else if (card.contains("photo") && !card["photo"].is_null()) {
        if (!card["photo"].is_string()) {
            return tl::unexpected(badField("photo", "not a string"));
        }
        const fs::path name = fs::u8path(card["photo"].get<std::string>());
        if (name.empty() || name.has_parent_path() || name.is_absolute() || name == "." ||
            name == "..") {
            return tl::unexpected(
                badField("photo", "must be a plain file name beside the card file"));
        }
        auto bytes = readFileLimited(baseDir / name, kMaxCardPhotoBytes);
        if (!bytes) {
            return tl::unexpected(badField("photo", bytes.error().detail));
        }
        photo.assign(bytes->begin(), bytes->end());
    } else {
        return photo;
    }
    if (imageFormat(photo).empty()) {
        return tl::unexpected(badField("photo", "not a JPEG, PNG or BMP image"));
    }
    return photo;
}

Expected<IdCard> validated(IdCard card, std::chrono::year_month_day today) {
    auto id = import::validateIdNumber(card.idNumber, today);
    if (!id) {
        return tl::unexpected(
            badField("id_number", fmt::format("{} ({})", import::name(id.error().reason),
                                              import::maskIdNumber(card.idNumber))));
    }
    card.idNumber = id->value;
    const std::string birth = formatDate(id->birthDate);
    if (!card.birthDate.empty()) {
        auto date = parseCardDate(card.birthDate);
        if (!date || formatDate(*date) != birth) {
            return tl::unexpected(badField("birth_date", "does not agree with the ID number"));
        }
    }
    card.birthDate = birth;
    // GB 11643: the 17th digit is odd for men, even for women.
    const std::string fromNumber = ((card.idNumber[16] - '0') % 2 == 1) ? "male" : "female";
    if (card.gender.empty()) {
        card.gender = fromNumber;
    } else if (card.gender == "男" || card.gender == "male") {
        card.gender = "male";
    } else if (card.gender == "女" || card.gender == "female") {
        card.gender = "female";
    } else {
        return tl::unexpected(badField("gender", "not 男/女/male/female"));
    }
    if (card.gender != fromNumber) {
        return tl::unexpected(badField("gender", "does not agree with the ID number"));
    }
    if (import::findInvalidUtf8(card.name) || card.name.size() > 64) {
        return tl::unexpected(badField("name", "not a name (UTF-8, at most 64 bytes)"));
    }
    return card;
}

}  // namespace

std::string IdCard::maskedIdNumber() const {
    return import::maskIdNumber(idNumber);
}

bool IdCard::expiredOn(std::chrono::year_month_day today) const {
    const auto to = parseCardDate(validTo);
    return to && std::chrono::sys_days(*to) < std::chrono::sys_days(today);
}

Expected<IdCard> parseCardJson(std::string_view text, const fs::path& baseDir,
                               std::chrono::year_month_day today) {
    if (text.size() > kMaxCardFileBytes) {
        return fail(ErrorCode::BadInput, "card file larger than 4 MiB");
    }
    if (auto bad = import::findInvalidUtf8(text)) {
        return fail(ErrorCode::BadInput, fmt::format("card file is not UTF-8 at byte {}", *bad));
    }
    const json card = json::parse(text, nullptr, false);
    if (card.is_discarded() || !card.is_object()) {
        return fail(ErrorCode::BadInput, "card file is not a JSON object");
    }
    IdCard out;
    for (auto [field, target, required] :
         std::initializer_list<std::tuple<const char*, std::string*, bool>>{
             {"id_number", &out.idNumber, true},
             {"name", &out.name, true},
             {"gender", &out.gender, false},
             {"nation", &out.nation, false},
             {"birth_date", &out.birthDate, false},
             {"address", &out.address, false},
             {"issuer", &out.issuer, false}}) {
        auto value = textField(card, field, required);
        if (!value) {
            return tl::unexpected(value.error());
        }
        *target = std::move(*value);
    }
    for (auto [field, target] : std::initializer_list<std::pair<const char*, std::string*>>{
             {"valid_from", &out.validFrom}, {"valid_to", &out.validTo}}) {
        auto value = validityDate(card, field);
        if (!value) {
            return tl::unexpected(value.error());
        }
        *target = std::move(*value);
    }
    auto photo = cardPhoto(card, baseDir);
    if (!photo) {
        return tl::unexpected(photo.error());
    }
    out.photo = std::move(*photo);
    if (!out.photo.empty() && card.contains("photo") && card["photo"].is_string()) {
        out.photoFile = card["photo"].get<std::string>();
    }
    return validated(std::move(out), today);
}

Expected<IdCard> readCardFile(const fs::path& path, std::chrono::year_month_day today) {
    auto text = readFileLimited(path, kMaxCardFileBytes);
    if (!text) {
        return tl::unexpected(text.error());
    }
    auto card = parseCardJson(*text, path.parent_path(), today);
    if (!card) {
        return fail(card.error().code, fmt::format("{}: {}", path.string(), card.error().detail));
    }
    card->source = "folder:" + path.filename().string();
    return card;
}

Expected<IdCard> manualCard(std::string_view idNumber, std::string_view name,
                            std::string_view nation, std::chrono::year_month_day today) {
    IdCard card;
    card.idNumber = std::string(idNumber);
    card.name = std::string(name);
    card.nation = std::string(nation);
    card.source = "manual";
    if (card.name.find_first_not_of(' ') == std::string::npos) {
        return tl::unexpected(badField("name", "empty"));
    }
    return validated(std::move(card), today);
}

Expected<std::optional<IdCard>> FolderDropReader::poll() {
    std::error_code ec;
    std::vector<fs::path> cards;
    for (fs::directory_iterator it(m_folder, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".json" &&
            it->path().filename().string().front() != '.') {
            cards.push_back(it->path());
        }
    }
    if (ec) {
        return fail(ErrorCode::Io, fmt::format("cannot read the card folder {}: {}",
                                               m_folder.string(), ec.message()));
    }
    if (cards.empty()) {
        return std::optional<IdCard>();
    }
    // Oldest first: the card placed on the reader first is the candidate at the desk.
    std::sort(cards.begin(), cards.end(), [](const fs::path& a, const fs::path& b) {
        std::error_code e1, e2;
        const auto ta = fs::last_write_time(a, e1), tb = fs::last_write_time(b, e2);
        return ta != tb ? ta < tb : a < b;
    });
    const fs::path path = cards.front();
    auto card = readCardFile(path, m_today);
    const fs::path dest = m_folder / (card ? "processed" : "rejected");
    fs::create_directories(dest, ec);
    auto move = [&](const fs::path& from) {
        std::error_code e;
        fs::rename(from, dest / from.filename(), e);
        return !e;
    };
    if (!move(path)) {
        return fail(ErrorCode::Io,
                    fmt::format("cannot move {} to {}", path.string(), dest.string()));
    }
    if (card && !card->photoFile.empty()) {
        move(m_folder /
             fs::u8path(card->photoFile));  // the card is read; a stray photo is harmless
    }
    if (!card) {
        if (std::ofstream note(dest / (path.filename().string() + ".error.txt")); note) {
            note << card.error().detail << '\n';
        }
        return tl::unexpected(card.error());
    }
    return std::optional<IdCard>(std::move(*card));
}

}  // namespace examguard::station::checkin
