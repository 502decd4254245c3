#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace examguard::netaudit {

// Bounds-checked big-endian reads over a byte span. Every accessor checks before it reads, so a
// decoder built on it cannot run past the end of a truncated packet.
class ByteReader {
public:
    ByteReader(const std::uint8_t* data, std::size_t size) : m_data(data), m_size(size) {}

    std::size_t size() const { return m_size; }
    std::size_t offset() const { return m_offset; }
    std::size_t remaining() const { return m_size - m_offset; }
    bool has(std::size_t n) const { return n <= remaining(); }
    const std::uint8_t* current() const { return m_data + m_offset; }
    const std::uint8_t* data() const { return m_data; }

    bool skip(std::size_t n) {
        if (!has(n)) {
            return false;
        }
        m_offset += n;
        return true;
    }
    bool seek(std::size_t absolute) {
        if (absolute > m_size) {
            return false;
        }
        m_offset = absolute;
        return true;
    }
    bool u8(std::uint8_t& v) {
        if (!has(1)) {
            return false;
        }
        v = m_data[m_offset++];
        return true;
    }
    bool u16(std::uint16_t& v) {
        if (!has(2)) {
            return false;
        }
        v = static_cast<std::uint16_t>((m_data[m_offset] << 8) | m_data[m_offset + 1]);
        m_offset += 2;
        return true;
    }
    bool u24(std::uint32_t& v) {
        if (!has(3)) {
            return false;
        }
        v = (std::uint32_t{m_data[m_offset]} << 16) | (std::uint32_t{m_data[m_offset + 1]} << 8) |
            m_data[m_offset + 2];
        m_offset += 3;
        return true;
    }
    bool u32(std::uint32_t& v) {
        if (!has(4)) {
            return false;
        }
        v = (std::uint32_t{m_data[m_offset]} << 24) | (std::uint32_t{m_data[m_offset + 1]} << 16) |
            (std::uint32_t{m_data[m_offset + 2]} << 8) | m_data[m_offset + 3];
        m_offset += 4;
        return true;
    }
    // A sub-reader over the next n bytes; advances past them.
    bool sub(std::size_t n, ByteReader& out) {
        if (!has(n)) {
            return false;
        }
        out = ByteReader(m_data + m_offset, n);
        m_offset += n;
        return true;
    }
    bool text(std::size_t n, std::string_view& out) {
        if (!has(n)) {
            return false;
        }
        out = std::string_view(reinterpret_cast<const char*>(m_data + m_offset), n);
        m_offset += n;
        return true;
    }

private:
    const std::uint8_t* m_data;
    std::size_t m_size;
    std::size_t m_offset = 0;
};

inline std::uint16_t readBe16(const std::uint8_t* p) {
    return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
inline std::uint32_t readBe32(const std::uint8_t* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           p[3];
}

}  // namespace examguard::netaudit
