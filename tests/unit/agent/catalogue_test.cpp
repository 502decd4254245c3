#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "agent/catalogue.h"

namespace examguard::agent {
namespace {

const char* kWineLz32 = "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/lz32.dll";
const char* kShimSigned = "/usr/lib/shim/shimx64.efi.signed";

const AppMatch* find(const std::vector<AppMatch>& matches, const std::string& app) {
    for (const auto& m : matches) {
        if (m.app == app) {
            return &m;
        }
    }
    return nullptr;
}

TEST(Catalogue, BuiltInIsTheSchemaFile) {
    const auto file = Catalogue::load(std::string(EXAMGUARD_SOURCE_DIR) +
                                      "/schemas/remote_control_catalogue.json");
    ASSERT_TRUE(file) << file.error().detail;
    const auto& builtIn = Catalogue::builtIn();
    ASSERT_EQ(builtIn.apps().size(), file->apps().size());
    EXPECT_GE(builtIn.apps().size(), 15u);
    EXPECT_GE(builtIn.receivers().size(), 20u);
    // Non-ASCII survives embedding.
    const auto sunlogin = std::find_if(builtIn.apps().begin(), builtIn.apps().end(),
                                       [](const CatalogueApp& a) { return a.app == "sunlogin"; });
    ASSERT_NE(sunlogin, builtIn.apps().end());
    EXPECT_EQ(sunlogin->signers.front(), "上海贝锐信息科技股份有限公司");
}

TEST(Catalogue, AppIdsSharedWithTheLanTable) {
    // Apps present in both tables must use the same id, so agent and LAN findings line up.
    std::ifstream in(std::string(EXAMGUARD_SOURCE_DIR) + "/schemas/remote_control_signatures.json");
    std::stringstream text;
    text << in.rdbuf();
    for (const char* id : {"\"teamviewer\"", "\"anydesk\"", "\"rustdesk\"", "\"vnc\"", "\"rdp\""}) {
        EXPECT_NE(text.str().find(std::string("\"app\": ") + id), std::string::npos) << id;
    }
}

TEST(Catalogue, RenamedByVersionInfo) {
    PeVersionInfo vi;
    vi.strings["OriginalFilename"] = "AnyDesk.exe";
    vi.strings["ProductName"] = "AnyDesk";
    const auto matches = Catalogue::builtIn().matchExecutable({{"svch0st.exe"}, &vi, nullptr});
    const auto* m = find(matches, "anydesk");
    ASSERT_NE(m, nullptr);
    EXPECT_TRUE(m->renamed);
    ASSERT_EQ(m->reasons.size(), 2u);
    EXPECT_EQ(m->reasons[0].by, "original_filename");
    EXPECT_EQ(m->reasons[0].value, "AnyDesk.exe");
    EXPECT_EQ(m->reasons[1].by, "product_name");
}

TEST(Catalogue, ByProcessNameIsNotRenamed) {
    const auto matches =
        Catalogue::builtIn().matchExecutable({{"TEAMVIEWER.EXE"}, nullptr, nullptr});
    const auto* m = find(matches, "teamviewer");
    ASSERT_NE(m, nullptr);
    EXPECT_FALSE(m->renamed);
    EXPECT_EQ(m->reasons.at(0).by, "process_name");
    EXPECT_TRUE(Catalogue::builtIn().matchExecutable({{"notepad.exe"}, nullptr, nullptr}).empty());
}

// A real PE file under an innocent name, against a catalogue row naming it by version-info.
TEST(Catalogue, RealRenamedPeCaughtByOriginalFilename) {
    const auto pe = parsePeFile(kWineLz32);
    ASSERT_TRUE(pe) << pe.error().detail;
    const auto catalogue = Catalogue::parse(
        R"({"apps": [{"app": "lz", "name": "LZ", "process_names": ["lz32.dll"],
                      "original_filenames": ["LZ32.DLL"]}]})",
        "test");
    ASSERT_TRUE(catalogue) << catalogue.error().detail;
    const auto matches = catalogue->matchExecutable(
        {{"innocent.exe"}, pe->versionInfo ? &*pe->versionInfo : nullptr, &pe->signers});
    ASSERT_EQ(matches.size(), 1u);
    EXPECT_TRUE(matches[0].renamed);
    EXPECT_EQ(matches[0].reasons.at(0).by, "original_filename");
    EXPECT_EQ(matches[0].reasons.at(0).value, "lz32.dll");
}

TEST(Catalogue, RealSignedPeCaughtBySigner) {
    const auto pe = parsePeFile(kShimSigned);
    ASSERT_TRUE(pe) << pe.error().detail;
    const auto catalogue = Catalogue::parse(
        R"({"apps": [{"app": "ms", "name": "Signed by Microsoft",
                      "signers": ["Microsoft Windows UEFI Driver Publisher"]}]})",
        "test");
    ASSERT_TRUE(catalogue) << catalogue.error().detail;
    const auto matches = catalogue->matchExecutable({{"calc.exe"}, nullptr, &pe->signers});
    ASSERT_EQ(matches.size(), 1u);
    EXPECT_TRUE(matches[0].renamed);
    EXPECT_EQ(matches[0].reasons.at(0).by, "signer");
    EXPECT_EQ(matches[0].reasons.at(0).value, "Microsoft Windows UEFI Driver Publisher");
}

TEST(Catalogue, InstalledServicesPorts) {
    const auto& c = Catalogue::builtIn();
    EXPECT_NE(find(c.matchInstalled("anydesk"), "anydesk"), nullptr);
    EXPECT_NE(find(c.matchInstalled("TeamViewer 15"), "teamviewer"), nullptr);
    EXPECT_NE(find(c.matchInstalled("向日葵远程控制"), "sunlogin"), nullptr);
    EXPECT_TRUE(c.matchInstalled("libreoffice").empty());
    EXPECT_NE(find(c.matchService("teamviewerd.service"), "teamviewer"), nullptr);
    EXPECT_NE(find(c.matchListening(Transport::kTcp, 7070), "anydesk"), nullptr);
    EXPECT_TRUE(c.matchListening(Transport::kUdp, 7070).empty());
    EXPECT_NE(find(c.matchListening(Transport::kTcp, 5901), "vnc"), nullptr);
}

TEST(Catalogue, ReceiversAndVirtualMachines) {
    const auto& c = Catalogue::builtIn();
    for (const std::uint16_t pid : {0xc52b, 0xc534, 0xc52f, 0xc548}) {
        EXPECT_NE(c.receiver(0x046d, pid), nullptr) << std::hex << pid;
    }
    EXPECT_EQ(c.receiver(0x046d, 0xc077), nullptr);  // a wired Logitech mouse
    EXPECT_TRUE(c.soundsWireless("2.4G Wireless Receiver"));
    EXPECT_FALSE(c.soundsWireless("USB Optical Mouse"));
    EXPECT_EQ(c.virtualMacVendor("08:00:27:12:34:56"), "VirtualBox");
    EXPECT_EQ(c.virtualMacVendor("52:54:00:AB:CD:EF"), "QEMU/KVM");
    EXPECT_EQ(c.virtualMacVendor("3c:7c:3f:00:00:01"), "");
    EXPECT_EQ(c.virtualDmiMatch("innotek GmbH"), "innotek GmbH");
    EXPECT_EQ(c.virtualDmiMatch("LENOVO"), "");
}

TEST(Catalogue, MalformedGivesWhereAndWhat) {
    const auto notJson = Catalogue::parse("{", "bad.json");
    ASSERT_FALSE(notJson);
    EXPECT_EQ(notJson.error().code, ErrorCode::kMalformedData);
    EXPECT_NE(notJson.error().detail.find("bad.json"), std::string::npos);

    const auto noApps = Catalogue::parse("{}", "x.json");
    ASSERT_FALSE(noApps);
    EXPECT_NE(noApps.error().detail.find("no 'apps' array"), std::string::npos);

    const auto reversed = Catalogue::parse(
        R"({"apps": [{"app": "a", "name": "A", "ports": [{"first": 9, "last": 1}]}]})", "x.json");
    ASSERT_FALSE(reversed);
    EXPECT_NE(reversed.error().detail.find("apps[0]: port range 9-1 is reversed"),
              std::string::npos)
        << reversed.error().detail;

    const auto badVid = Catalogue::parse(
        R"({"apps": [], "wireless_receivers": {"devices": [{"vid": "46d", "pid": "c52b", "name": "x"}]}})",
        "x.json");
    ASSERT_FALSE(badVid);
    EXPECT_NE(badVid.error().detail.find("devices[0]: vid '46d' is not 4 hex digits"),
              std::string::npos)
        << badVid.error().detail;

    const auto badList =
        Catalogue::parse(R"({"apps": [{"app": "a", "name": "A", "signers": "x"}]})", "x.json");
    ASSERT_FALSE(badList);
    EXPECT_NE(badList.error().detail.find("'signers' is not an array"), std::string::npos);
}

TEST(Catalogue, MissingFile) {
    const auto c = Catalogue::load("/nonexistent/catalogue.json");
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ErrorCode::kFileNotFound);
}

}  // namespace
}  // namespace examguard::agent
