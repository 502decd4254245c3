// The ID-card adapters: card JSON as vendor desktop tools drop it, manual entry, the folder
// reader. Hostile files are refused with the field named, and never read outside the folder.
#include <fstream>

#include <gtest/gtest.h>

#include "station/checkin/id_card.h"
#include "test_support.h"

namespace examguard::station::checkin {
namespace {

namespace fs = std::filesystem;
using testing::TempDir;

const auto kToday = std::chrono::year(2026) / 11 / 25;

void write(const fs::path& path, std::string_view content) {
    std::ofstream out(path, std::ios::binary);
    out << content;
}

std::string cardJson(const std::string& extra = "") {
    return R"({"id_number": "370105199809286798", "name": "张伟", "gender": "男", "nation": "汉",
      "birth_date": "1998-09-28", "address": "山东省济南市历下区示范路 1 号",
      "issuer": "济南市公安局历下分局", "valid_from": "2019.05.14", "valid_to": "2029.05.14")" +
           extra + "}";
}

TEST(IdCardTest, ReadsACardWithItsPhoto) {
    TempDir dir;
    write(dir / "photo.jpg", "\xFF\xD8\xFF\xE0 jpeg");
    write(dir / "card.json", cardJson(R"(, "photo": "photo.jpg")"));
    auto card = readCardFile(dir / "card.json", kToday);
    ASSERT_TRUE(card) << card.error().detail;
    EXPECT_EQ(card->name, "张伟");
    EXPECT_EQ(card->gender, "male");
    EXPECT_EQ(card->birthDate, "1998-09-28");
    EXPECT_EQ(card->validTo, "2029-05-14");
    EXPECT_EQ(card->maskedIdNumber(), "370105********6798");
    EXPECT_EQ(card->photo.size(), 9u);
    EXPECT_EQ(card->source, "folder:card.json");
    EXPECT_FALSE(card->expiredOn(kToday));
    EXPECT_TRUE(card->expiredOn(std::chrono::year(2030) / 1 / 1));
}

TEST(IdCardTest, RefusesMalformedCardsNamingTheField) {
    TempDir dir;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"not json", "not a JSON object"},
        {"[1,2]", "not a JSON object"},
        {R"({"name": "张伟"})", "\"id_number\": missing"},
        {R"({"id_number": 370105199809286798, "name": "张伟"})", "\"id_number\": not a string"},
        {R"({"id_number": "370105199809286799", "name": "张伟"})", "bad_checksum"},
        {R"({"id_number": "370105199809286798", "name": ""})", "\"name\": empty"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "gender": "女"})",
         "\"gender\": does not agree"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "birth_date": "1999-09-28"})",
         "\"birth_date\": does not agree"},
        {R"({"id_number": "370105199809286798", "name": "张\u0001伟"})", "control characters"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "valid_to": "soon"})",
         "\"valid_to\": not a date"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "photo": "../../etc/passwd"})",
         "plain file name"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "photo": "/etc/passwd"})",
         "plain file name"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "photo": "missing.jpg"})",
         "\"photo\": cannot read"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "photo_base64": "!!"})",
         "not Base64"},
        {R"({"id_number": "370105199809286798", "name": "张伟", "photo_base64": "aGVsbG8="})",
         "not a JPEG, PNG or BMP"},
        {"{\"id_number\": \"370105199809286798\", \"name\": \"\xC0\xAF\"}", "not UTF-8"},
    };
    for (const auto& [text, expected] : cases) {
        auto card = parseCardJson(text, dir.path(), kToday);
        ASSERT_FALSE(card) << text;
        EXPECT_EQ(card.error().code, ErrorCode::BadInput);
        EXPECT_NE(card.error().detail.find(expected), std::string::npos)
            << text << " -> " << card.error().detail;
        EXPECT_EQ(card.error().detail.find("370105199809286799"), std::string::npos)
            << "an error shows a full ID number";
    }
    EXPECT_FALSE(parseCardJson(std::string(kMaxCardFileBytes + 1, ' '), dir.path(), kToday));
}

TEST(IdCardTest, ManualEntryIsCheckedLikeACard) {
    auto card = manualCard("11010519491231002x", "李秀英", "汉", kToday);
    ASSERT_TRUE(card) << card.error().detail;
    EXPECT_EQ(card->idNumber, "11010519491231002X");
    EXPECT_EQ(card->gender, "female");
    EXPECT_EQ(card->source, "manual");
    EXPECT_FALSE(manualCard("110105194912310021", "李秀英", "汉", kToday));
    EXPECT_FALSE(manualCard("11010519491231002X", " ", "汉", kToday));
}

TEST(IdCardTest, FolderReaderTakesCardsInOrderAndSetsBrokenOnesAside) {
    TempDir dir;
    FolderDropReader reader(dir.path(), kToday);
    auto none = reader.poll();
    ASSERT_TRUE(none);
    EXPECT_FALSE(*none);

    write(dir / "a.json", "{broken");
    auto broken = reader.poll();
    ASSERT_FALSE(broken);
    EXPECT_NE(broken.error().detail.find("a.json"), std::string::npos);
    EXPECT_TRUE(fs::exists(dir / "rejected" / "a.json"));
    EXPECT_TRUE(fs::exists(dir / "rejected" / "a.json.error.txt"));

    write(dir / "p.jpg", "\xFF\xD8\xFF\xE0 jpeg");
    write(dir / "b.json", cardJson(R"(, "photo": "p.jpg")"));
    auto card = reader.poll();
    ASSERT_TRUE(card) << card.error().detail;
    ASSERT_TRUE(*card);
    EXPECT_EQ((*card)->name, "张伟");
    EXPECT_TRUE(fs::exists(dir / "processed" / "b.json"));
    EXPECT_TRUE(fs::exists(dir / "processed" / "p.jpg"));
    EXPECT_FALSE(fs::exists(dir / "b.json"));
    auto empty = reader.poll();
    ASSERT_TRUE(empty);
    EXPECT_FALSE(*empty);

    FolderDropReader missing(dir / "nope", kToday);
    EXPECT_FALSE(missing.poll());
}

}  // namespace
}  // namespace examguard::station::checkin
