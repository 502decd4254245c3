#include "test_support.h"

#include <pcap/pcap.h>

#include <cstdlib>
#include <stdexcept>

namespace examguard::netaudit::test {

std::string capture(const std::string& name) {
    return std::string(EXAMGUARD_SHARED_DATA) + "/pcap/" + name;
}

std::vector<Frame> readFrames(const std::string& path, int* linkType) {
    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* p = pcap_open_offline(path.c_str(), errbuf);
    if (p == nullptr) {
        throw std::runtime_error(errbuf);
    }
    if (linkType != nullptr) {
        *linkType = pcap_datalink(p);
    }
    std::vector<Frame> frames;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    while (pcap_next_ex(p, &header, &data) == 1) {
        Frame f;
        f.timestampUs = std::int64_t{header->ts.tv_sec} * 1000000 + header->ts.tv_usec;
        f.bytes.assign(data, data + header->caplen);
        frames.push_back(std::move(f));
    }
    pcap_close(p);
    return frames;
}

void writePcap(const std::filesystem::path& path, int linkType, const std::vector<Frame>& frames) {
    pcap_t* dead = pcap_open_dead(linkType, 262144);
    pcap_dumper_t* dumper = pcap_dump_open(dead, path.c_str());
    if (dumper == nullptr) {
        pcap_close(dead);
        throw std::runtime_error("cannot write " + path.string());
    }
    for (const auto& f : frames) {
        pcap_pkthdr header{};
        header.ts.tv_sec = f.timestampUs / 1000000;
        header.ts.tv_usec = f.timestampUs % 1000000;
        header.caplen = static_cast<bpf_u_int32>(f.bytes.size());
        header.len = header.caplen;
        pcap_dump(reinterpret_cast<u_char*>(dumper), &header, f.bytes.data());
    }
    pcap_dump_close(dumper);
    pcap_close(dead);
}

TempDir::TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "netaudit-test-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed");
    }
    m_path = pattern;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
}

}  // namespace examguard::netaudit::test
