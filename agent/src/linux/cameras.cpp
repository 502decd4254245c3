// Cameras from /sys/class/video4linux, each asked through V4L2 whether it captures video and
// what the largest frame it offers is (REQUIREMENTS NET-4: a camera of at least 1 MP). Only
// query ioctls are used: nothing is streamed or changed. A UVC camera has a second node for
// metadata, which is not a camera and is left out.
#include <fcntl.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <cerrno>

#include <algorithm>

#include "agent/linux_backend.h"
#include "linux/fs_util.h"
#include "text.h"

namespace examguard::agent::linuxhost {

namespace fs = std::filesystem;

namespace {

// Bounds on what a driver may list, so a broken one cannot keep the agent asking.
constexpr unsigned kMaxFormats = 64;
constexpr unsigned kMaxFrameSizes = 256;

std::uint64_t largestFrameOfFormat(int fd, std::uint32_t pixelFormat, const V4l2Ioctl& ioctl) {
    std::uint64_t best = 0;
    for (unsigned index = 0; index < kMaxFrameSizes; ++index) {
        v4l2_frmsizeenum size{};
        size.index = index;
        size.pixel_format = pixelFormat;
        if (ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &size) != 0) {
            break;
        }
        if (size.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
            best = std::max(best, std::uint64_t{size.discrete.width} * size.discrete.height);
        } else {
            // Stepwise or continuous: one entry with the range.
            best =
                std::max(best, std::uint64_t{size.stepwise.max_width} * size.stepwise.max_height);
            break;
        }
    }
    return best;
}

}  // namespace

CaptureQuery queryCaptureDevice(int fd, const V4l2Ioctl& ioctl) {
    CaptureQuery out;
    v4l2_capability caps{};
    if (ioctl(fd, VIDIOC_QUERYCAP, &caps) != 0) {
        return out;  // not V4L2 after all, or the driver refuses: unknown
    }
    out.answered = true;
    const std::uint32_t deviceCaps =
        (caps.capabilities & V4L2_CAP_DEVICE_CAPS) != 0 ? caps.device_caps : caps.capabilities;
    const bool single = (deviceCaps & V4L2_CAP_VIDEO_CAPTURE) != 0;
    const bool multiPlane = (deviceCaps & V4L2_CAP_VIDEO_CAPTURE_MPLANE) != 0;
    out.capture = single || multiPlane;
    if (!out.capture) {
        return out;
    }
    std::uint64_t best = 0;
    for (unsigned index = 0; index < kMaxFormats; ++index) {
        v4l2_fmtdesc format{};
        format.index = index;
        format.type = single ? V4L2_BUF_TYPE_VIDEO_CAPTURE : V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE;
        if (ioctl(fd, VIDIOC_ENUM_FMT, &format) != 0) {
            break;
        }
        best = std::max(best, largestFrameOfFormat(fd, format.pixelformat, ioctl));
    }
    if (best > 0) {
        out.maxPixels = best;
    }
    return out;
}

std::vector<Camera> listCameras(const Paths& paths, const V4l2Ioctl& ioctl) {
    std::vector<Camera> out;
    std::error_code ec;
    std::vector<fs::path> nodes;
    for (const auto& entry : fs::directory_iterator(paths.sys / "class/video4linux", ec)) {
        nodes.push_back(entry.path());
    }
    std::sort(nodes.begin(), nodes.end());  // video0 before video1, as a person reads them
    for (const auto& node : nodes) {
        Camera camera{sanitizeUtf8(readAttribute(node / "name").value_or(node.filename().string())),
                      std::nullopt};
        const fs::path device = paths.dev / node.filename();
        // Read-only queries; O_NONBLOCK so a busy camera cannot stall the agent.
        const int fd = ::open(device.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd >= 0) {
            const CaptureQuery query = queryCaptureDevice(fd, ioctl);
            ::close(fd);
            if (query.answered && !query.capture) {
                continue;  // a metadata or output node, not a camera
            }
            camera.maxPixels = query.maxPixels;
        }
        // Not openable (permissions): still a camera, of unknown resolution.
        out.push_back(std::move(camera));
    }
    return out;
}

int systemIoctl(int fd, unsigned long request, void* argument) {
    int rc = 0;
    do {
        rc = ::ioctl(fd, request, argument);
    } while (rc != 0 && errno == EINTR);
    return rc;
}

}  // namespace examguard::agent::linuxhost
