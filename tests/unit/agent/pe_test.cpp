// PE parsing on real files from Debian packages (scripts/packages/agent.txt): wine's PE DLLs carry
// version info, shim-signed's shimx64.efi.signed carries Microsoft's Authenticode signature.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "agent/pe.h"

namespace examguard::agent {
namespace {

const char* kWineDir = "/usr/lib/x86_64-linux-gnu/wine/x86_64-windows/";
const char* kShimSigned = "/usr/lib/shim/shimx64.efi.signed";
const char* kShimUnsigned = "/usr/lib/shim/shimx64.efi";

std::vector<std::uint8_t> readAll(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    EXPECT_TRUE(in) << path << " missing: run scripts/setup.sh (packages/agent.txt)";
    return {std::istreambuf_iterator<char>(in), {}};
}

void put32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) {
        b.at(at + i) = static_cast<std::uint8_t>(v >> (8 * i));
    }
}
std::uint32_t get32(const std::vector<std::uint8_t>& b, std::size_t at) {
    return b.at(at) | (b.at(at + 1) << 8) | (b.at(at + 2) << 16) |
           (static_cast<std::uint32_t>(b.at(at + 3)) << 24);
}
// Offset of data directory `index` in a PE32+ image.
std::size_t dirOffset(const std::vector<std::uint8_t>& b, int index) {
    return get32(b, 0x3C) + 4 + 20 + 112 + index * 8;
}

TEST(PeParser, WineDllVersionInfo) {
    const auto pe = parsePeFile(std::string(kWineDir) + "lz32.dll");
    ASSERT_TRUE(pe) << pe.error().detail;
    EXPECT_EQ(pe->machine, 0x8664);
    EXPECT_TRUE(pe->pe32Plus);
    EXPECT_FALSE(pe->sections.empty());
    EXPECT_TRUE(std::any_of(pe->sections.begin(), pe->sections.end(),
                            [](const PeSection& s) { return s.name == ".rsrc"; }));
    ASSERT_TRUE(pe->versionInfo);
    EXPECT_EQ(pe->versionInfo->originalFilename(), "lz32.dll");
    EXPECT_EQ(pe->versionInfo->productName(), "Wine");
    EXPECT_EQ(pe->versionInfo->companyName(), "Microsoft Corporation");
    EXPECT_EQ(pe->versionInfo->fileDescription(), "Wine lz32");
    EXPECT_EQ(pe->versionInfo->fileVersion(), "5.1.2600.2180");
    EXPECT_EQ(pe->versionInfo->fixedFileVersion, "5.1.2600.2180");
    EXPECT_FALSE(pe->hasSignature);
}

TEST(PeParser, EveryWineExeAndDllParses) {
    // All of wine's x86-64 PE files: none may fail, and most carry an OriginalFilename equal to
    // their own file name (case-insensitively).
    int parsed = 0;
    int named = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kWineDir)) {
        const auto ext = entry.path().extension();
        if (ext != ".dll" && ext != ".exe") {
            continue;
        }
        const auto pe = parsePeFile(entry.path());
        ASSERT_TRUE(pe) << pe.error().detail;
        ++parsed;
        if (pe->versionInfo) {
            std::string a = pe->versionInfo->originalFilename();
            std::string b = entry.path().filename().string();
            std::transform(a.begin(), a.end(), a.begin(), ::tolower);
            std::transform(b.begin(), b.end(), b.begin(), ::tolower);
            named += a == b ? 1 : 0;
        }
    }
    // Wine 8.0 (Debian 12): 324 files, 222 of them named after themselves.
    EXPECT_GT(parsed, 300);
    EXPECT_GT(named, 200);
}

TEST(PeParser, ShimSignedByMicrosoft) {
    const auto pe = parsePeFile(kShimSigned);
    ASSERT_TRUE(pe) << pe.error().detail;
    EXPECT_EQ(pe->machine, 0x8664);
    EXPECT_EQ(pe->subsystem, 10);  // EFI application
    ASSERT_TRUE(pe->hasSignature);
    // Two WIN_CERTIFICATE entries (checked with `openssl pkcs7 -print_certs` on the blobs): the
    // 2011 UEFI CA signature and the 2023 one.
    ASSERT_EQ(pe->signers.size(), 2u);
    EXPECT_EQ(pe->signers[0].subjectOrganization, "Microsoft Corporation");
    EXPECT_EQ(pe->signers[0].subjectCommonName, "Microsoft Windows UEFI Driver Publisher");
    EXPECT_EQ(pe->signers[0].issuerCommonName, "Microsoft Corporation UEFI CA 2011");
    EXPECT_EQ(pe->signers[1].subjectOrganization, "Microsoft Corporation");
    EXPECT_EQ(pe->signers[1].subjectCommonName, "Microsoft UEFI CA 2023 signer");
    EXPECT_EQ(pe->signers[1].issuerCommonName, "Microsoft UEFI CA 2023");
}

TEST(PeParser, UnsignedShimHasNoSignature) {
    const auto pe = parsePeFile(kShimUnsigned);
    ASSERT_TRUE(pe) << pe.error().detail;
    EXPECT_FALSE(pe->hasSignature);
    EXPECT_TRUE(pe->signers.empty());
}

TEST(PeParser, MissingFile) {
    const auto pe = parsePeFile("/nonexistent/AnyDesk.exe");
    ASSERT_FALSE(pe);
    EXPECT_EQ(pe.error().code, ErrorCode::kFileNotFound);
}

TEST(PeParser, NotPe) {
    const auto elf = readAll("/bin/sleep");
    const auto pe = parsePe(elf);
    ASSERT_FALSE(pe);
    EXPECT_EQ(pe.error().code, ErrorCode::kMalformedPe);
    EXPECT_NE(pe.error().detail.find("MZ"), std::string::npos) << pe.error().detail;
}

TEST(PeParser, BadELfanewNamesTheOffset) {
    auto bytes = readAll(std::string(kWineDir) + "lz32.dll");
    put32(bytes, 0x3C, 0x7ffffff0);
    const auto pe = parsePe(bytes);
    ASSERT_FALSE(pe);
    EXPECT_NE(pe.error().detail.find("PE signature at offset 0x7ffffff0"), std::string::npos)
        << pe.error().detail;
}

TEST(PeParser, EveryTruncationIsAnErrorOrAParseNeverACrash) {
    const auto full = readAll(std::string(kWineDir) + "lz32.dll");
    int errors = 0;
    for (std::size_t n = 0; n < full.size(); n += 61) {
        const auto pe = parsePe(std::span(full.data(), n));
        if (!pe) {
            ++errors;
            EXPECT_EQ(pe.error().code, ErrorCode::kMalformedPe);
            EXPECT_NE(pe.error().detail.find("offset"), std::string::npos) << pe.error().detail;
        }
    }
    // The version resource sits at the end of lz32.dll: any cut before it loses it.
    EXPECT_GT(errors, 100);
}

TEST(PeParser, TruncatedSignatureIsAnError) {
    const auto full = readAll(kShimSigned);
    const std::size_t security = get32(full, dirOffset(full, 4));
    ASSERT_GT(security, 0u);
    const auto pe = parsePe(std::span(full.data(), full.size() - 100));
    ASSERT_FALSE(pe);
    EXPECT_NE(pe.error().detail.find("security directory"), std::string::npos) << pe.error().detail;
}

TEST(PeParser, CorruptWinCertificateLength) {
    auto bytes = readAll(kShimSigned);
    const std::size_t security = get32(bytes, dirOffset(bytes, 4));
    put32(bytes, security, 0xfffffff0);
    const auto pe = parsePe(bytes);
    ASSERT_FALSE(pe);
    EXPECT_NE(pe.error().detail.find("WIN_CERTIFICATE at offset"), std::string::npos)
        << pe.error().detail;
}

TEST(PeParser, GarbagePkcs7) {
    auto bytes = readAll(kShimSigned);
    const std::size_t security = get32(bytes, dirOffset(bytes, 4));
    for (std::size_t i = security + 8; i < security + 64; ++i) {
        bytes[i] = 0x41;
    }
    const auto pe = parsePe(bytes);
    ASSERT_FALSE(pe);
    EXPECT_NE(pe.error().detail.find("not DER PKCS#7"), std::string::npos) << pe.error().detail;
}

TEST(PeParser, ResourceDirectoryPastTheSection) {
    auto bytes = readAll(std::string(kWineDir) + "lz32.dll");
    // Point the resource directory's RVA far past every section.
    put32(bytes, dirOffset(bytes, 2), 0x7fff0000);
    const auto pe = parsePe(bytes);
    ASSERT_FALSE(pe);
    EXPECT_NE(pe.error().detail.find("resource directory at RVA 0x7fff0000 is in no section"),
              std::string::npos)
        << pe.error().detail;
}

}  // namespace
}  // namespace examguard::agent
