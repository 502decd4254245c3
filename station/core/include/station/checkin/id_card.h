#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "station/crypto.h"
#include "station/error.h"

namespace examguard::station::checkin {

// What a second-generation resident ID card (居民身份证) gives the station, validated.
struct IdCard {
    std::string idNumber;  // 18 characters, checksum verified; never shown or logged in full
    std::string name;
    std::string gender;     // "male" | "female", agreeing with the ID number's 17th digit
    std::string nation;     // 民族, e.g. "汉"
    std::string birthDate;  // YYYY-MM-DD, agreeing with the ID number
    std::string address;
    std::string issuer;     // 签发机关
    std::string validFrom;  // YYYY-MM-DD
    std::string validTo;    // YYYY-MM-DD, or "长期" for a card without expiry
    Bytes photo;            // JPEG, PNG or BMP as the reader exported it; may be empty
    std::string source;     // "folder:<file>" or "manual"
    std::string photoFile;  // the photo's file name when the card file named one

    std::string maskedIdNumber() const;
    // True when validTo is a date before `today`.
    bool expiredOn(std::chrono::year_month_day today) const;
};

inline constexpr std::size_t kMaxCardFileBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kMaxCardPhotoBytes = 2 * 1024 * 1024;

// The card JSON that the folder-drop adapter reads (docs/formats/id-card.md):
//   {"id_number": "...", "name": "...", "gender": "男"|"女"|"male"|"female", "nation": "汉",
//    "birth_date": "YYYY-MM-DD" (optional), "address", "issuer", "valid_from", "valid_to",
//    "photo": "file name beside the JSON" | "photo_base64": "..."}
// `baseDir` is where a named photo is looked up; the name must be a plain file name (no
// directories), so a card file cannot make the station read elsewhere. Errors are BadInput
// and name the field; they never contain the full ID number.
Expected<IdCard> parseCardJson(std::string_view text, const std::filesystem::path& baseDir,
                               std::chrono::year_month_day today);
Expected<IdCard> readCardFile(const std::filesystem::path& path, std::chrono::year_month_day today);

// Typed in by the proctor when the reader fails; the same checks as a read card.
Expected<IdCard> manualCard(std::string_view idNumber, std::string_view name,
                            std::string_view nation, std::chrono::year_month_day today);

// A source of cards. Vendor SDK adapters (华视, 神思, 新中新 readers) implement this too: see
// docs/formats/id-card.md.
class IdCardReader {
public:
    virtual ~IdCardReader() = default;
    // The next card placed on the reader, or nullopt when none is waiting.
    virtual Expected<std::optional<IdCard>> poll() = 0;
};

// Reads the JSON + photo files that a vendor desktop tool drops into a folder. A card that was
// read is moved to processed/; one that cannot be read is moved to rejected/ with a .error.txt
// beside it, so a broken file is not retried forever and nothing is deleted.
class FolderDropReader final : public IdCardReader {
public:
    FolderDropReader(std::filesystem::path folder, std::chrono::year_month_day today)
        : m_folder(std::move(folder)), m_today(today) {}
    Expected<std::optional<IdCard>> poll() override;

private:
    std::filesystem::path m_folder;
    std::chrono::year_month_day m_today;
};

}  // namespace examguard::station::checkin
