// dlib's ResNet face-descriptor network with weights converted at load time from
// @vladmandic/face-api 1.7.15 (TensorFlow.js layout). This is the only translation unit that
// instantiates dlib's DNN templates: they take minutes to compile.
#include <algorithm>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include <dlib/dnn.h>

#include "face/dlib_image.h"
#include "face/embedders.h"
#include "face/tfjs_weights.h"

namespace examguard::vision::detail {

namespace {

// The network of dlib's dnn_face_recognition_ex.cpp, inference form (affine, not bn_con).
template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class Bn, typename Subnet>
using Residual = dlib::add_prev1<Block<N, Bn, 1, dlib::tag1<Subnet>>>;

template <template <int, template <typename> class, int, typename> class Block, int N,
          template <typename> class Bn, typename Subnet>
using ResidualDown = dlib::add_prev2<
    dlib::avg_pool<2, 2, 2, 2, dlib::skip1<dlib::tag2<Block<N, Bn, 2, dlib::tag1<Subnet>>>>>>;

template <int N, template <typename> class Bn, int Stride, typename Subnet>
using Block =
    Bn<dlib::con<N, 3, 3, 1, 1, dlib::relu<Bn<dlib::con<N, 3, 3, Stride, Stride, Subnet>>>>>;

template <int N, typename Subnet>
using Ares = dlib::relu<Residual<Block, N, dlib::affine, Subnet>>;
template <int N, typename Subnet>
using AresDown = dlib::relu<ResidualDown<Block, N, dlib::affine, Subnet>>;

template <typename Subnet>
using Alevel0 = AresDown<256, Subnet>;
template <typename Subnet>
using Alevel1 = Ares<256, Ares<256, AresDown<256, Subnet>>>;
template <typename Subnet>
using Alevel2 = Ares<128, Ares<128, AresDown<128, Subnet>>>;
template <typename Subnet>
using Alevel3 = Ares<64, Ares<64, Ares<64, AresDown<64, Subnet>>>>;
template <typename Subnet>
using Alevel4 = Ares<32, Ares<32, Ares<32, Subnet>>>;

using FaceNet = dlib::loss_metric<dlib::fc_no_bias<
    128, dlib::avg_pool_everything<Alevel0<Alevel1<Alevel2<Alevel3<Alevel4<dlib::max_pool<
             3, 3, 2, 2,
             dlib::relu<dlib::affine<
                 dlib::con<32, 7, 7, 2, 2, dlib::input_rgb_image_sized<150>>>>>>>>>>>>>;

constexpr std::size_t kConLayers = 29;
constexpr std::size_t kTensors = 117;  // 29 x (filters, bias, scale, offset) + fc

using Tensor = TfjsTensor;

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// face-api's manifest order: per conv layer its filters, bias, scale weights and scale biases
// (conv32_down/conv/filters, ..., conv32_1/conv1/scale/biases, ...), then fc.
Result<void> checkLayout(const std::vector<Tensor>& tensors) {
    if (tensors.size() != kTensors) {
        return makeError(ErrorCode::ModelInvalid,
                         "expected 117 tensors, manifest has " + std::to_string(tensors.size()));
    }
    static constexpr std::string_view kSuffixes[] = {"/conv/filters", "/conv/bias",
                                                     "/scale/weights", "/scale/biases"};
    for (std::size_t layer = 0; layer < kConLayers; ++layer) {
        const std::string& first = tensors[layer * 4].name;
        const std::string_view prefix = std::string_view(first).substr(
            0, first.size() - std::min(first.size(), kSuffixes[0].size()));
        for (std::size_t k = 0; k < 4; ++k) {
            const std::string& name = tensors[layer * 4 + k].name;
            if (!endsWith(name, kSuffixes[k]) || !name.starts_with(prefix)) {
                return makeError(
                    ErrorCode::ModelInvalid,
                    "unexpected tensor " + name + " in conv layer " + std::to_string(layer + 1));
            }
        }
    }
    if (tensors.back().name != "fc") {
        return makeError(ErrorCode::ModelInvalid, "last tensor is not fc");
    }
    return {};
}

// Collects the layers that carry parameters. visit_computational_layers walks from the output
// towards the input; the caller reverses to get manifest (input-first) order.
struct ConLayer {
    dlib::tensor* params;
    long rows, cols, filters;
};

struct LayerCollector {
    std::vector<ConLayer>* cons;
    std::vector<dlib::affine_*>* affines;
    dlib::tensor** fc;

    template <long F, long R, long C, int Sy, int Sx, int Py, int Px>
    void operator()(dlib::con_<F, R, C, Sy, Sx, Py, Px>& layer) const {
        cons->push_back({&layer.get_layer_params(), layer.nr(), layer.nc(), layer.num_filters()});
    }
    void operator()(dlib::affine_& layer) const { affines->push_back(&layer); }
    template <unsigned long N, dlib::fc_bias_mode M>
    void operator()(dlib::fc_<N, M>& layer) const {
        *fc = &layer.get_layer_params();
    }
};

// The layers come from dlib's own example; only a missing or mismatched parameter tensor could
// go wrong, and every size is checked before copying.
Result<void> fillNetwork(FaceNet& net, const std::vector<Tensor>& tensors) {
    std::vector<ConLayer> cons;
    std::vector<dlib::affine_*> affines;
    dlib::tensor* fc = nullptr;

    // affine_ defaults to FC_MODE (one gamma per value); the converted batch-norm scales are per
    // channel, which is CONV_MODE. The mode is fixed at construction, so replace the layers.
    dlib::visit_computational_layers(
        net, [](dlib::affine_& layer) { layer = dlib::affine_(dlib::CONV_MODE); });
    // Parameters are allocated lazily by the first forward pass.
    const dlib::matrix<dlib::rgb_pixel> blank(kDlibChipSizePx, kDlibChipSizePx);
    (void)net(blank);

    dlib::visit_computational_layers(net, LayerCollector{&cons, &affines, &fc});
    std::reverse(cons.begin(), cons.end());
    std::reverse(affines.begin(), affines.end());
    if (cons.size() != kConLayers || affines.size() != kConLayers || fc == nullptr) {
        return makeError(ErrorCode::ModelInvalid,
                         "network layout differs from dlib's face network");
    }

    for (std::size_t layer = 0; layer < kConLayers; ++layer) {
        const Tensor& filters = tensors[layer * 4];
        const Tensor& bias = tensors[layer * 4 + 1];
        const Tensor& scale = tensors[layer * 4 + 2];
        const Tensor& offset = tensors[layer * 4 + 3];
        if (filters.shape.size() != 4) {
            return makeError(ErrorCode::ModelInvalid, filters.name + " is not a 4-d filter");
        }
        const long h = filters.shape[0], w = filters.shape[1], in = filters.shape[2],
                   out = filters.shape[3];
        dlib::tensor& params = *cons[layer].params;
        if (h != cons[layer].rows || w != cons[layer].cols || out != cons[layer].filters ||
            static_cast<std::size_t>(params.size()) != filters.values.size() + bias.values.size() ||
            bias.values.size() != static_cast<std::size_t>(out)) {
            return makeError(ErrorCode::ModelInvalid,
                             filters.name + " does not fit its dlib layer");
        }
        // TF.js [h, w, in, out] -> dlib [out, in, h, w]; biases follow all filters.
        float* dst = params.host();
        for (long o = 0; o < out; ++o) {
            for (long i = 0; i < in; ++i) {
                for (long y = 0; y < h; ++y) {
                    for (long x = 0; x < w; ++x) {
                        dst[((o * in + i) * h + y) * w + x] =
                            filters
                                .values[static_cast<std::size_t>(((y * w + x) * in + i) * out + o)];
                    }
                }
            }
        }
        std::copy(bias.values.begin(), bias.values.end(), dst + filters.values.size());

        auto gamma = affines[layer]->get_gamma();
        auto beta = affines[layer]->get_beta();
        if (static_cast<std::size_t>(gamma.size()) != scale.values.size() ||
            static_cast<std::size_t>(beta.size()) != offset.values.size()) {
            return makeError(ErrorCode::ModelInvalid,
                             scale.name + " does not fit its affine layer");
        }
        std::copy(scale.values.begin(), scale.values.end(), gamma.host());
        std::copy(offset.values.begin(), offset.values.end(), beta.host());
    }

    // fc: the manifest's [256, 128] is dlib's fc_no_bias layout (inputs x outputs) already.
    const Tensor& fcWeights = tensors.back();
    if (static_cast<std::size_t>(fc->size()) != fcWeights.values.size()) {
        return makeError(ErrorCode::ModelInvalid, "fc weights do not fit");
    }
    std::copy(fcWeights.values.begin(), fcWeights.values.end(), fc->host());
    return {};
}

class DlibResnetEmbedder final : public FaceEmbedder {
public:
    std::string_view name() const override { return kDlibResnetModelName; }
    double distanceThreshold() const override { return kDlibResnetThreshold; }
    ChipKind chipKind() const override { return ChipKind::Dlib150; }

    Result<std::vector<float>> embed(const cv::Mat& chip) override {
        if (chip.rows != kDlibChipSizePx || chip.cols != kDlibChipSizePx ||
            chip.type() != CV_8UC3) {
            return makeError(ErrorCode::ChipInvalid, "dlib ResNet needs a 150x150 8-bit BGR chip");
        }
        try {
            // dlib's input layer subtracts its channel means and divides by 256 (RGB order),
            // the normalisation face-api's port of the same network uses too.
            const dlib::matrix<float, 0, 1> d = m_net(toDlibRgb(chip));
            return std::vector<float>(d.begin(), d.end());
        } catch (const std::exception& e) {
            return makeError(ErrorCode::InferenceFailed,
                             std::string("dlib ResNet failed: ") + e.what());
        }
    }

    FaceNet m_net;
};

}  // namespace

Result<std::unique_ptr<FaceEmbedder>> createDlibResnetEmbedder(
    const std::filesystem::path& models) {
    auto manifest = requireModelFile(models / "face_recognition_model-weights_manifest.json");
    if (!manifest) {
        return tl::unexpected(manifest.error());
    }
    auto bin = requireModelFile(models / "face_recognition_model.bin");
    if (!bin) {
        return tl::unexpected(bin.error());
    }
    auto tensors = readTfjsWeights(*manifest, *bin);
    if (!tensors) {
        return tl::unexpected(tensors.error());
    }
    if (auto layout = checkLayout(*tensors); !layout) {
        return tl::unexpected(layout.error());
    }
    auto embedder = std::make_unique<DlibResnetEmbedder>();
    try {
        if (auto filled = fillNetwork(embedder->m_net, *tensors); !filled) {
            return tl::unexpected(filled.error());
        }
    } catch (const std::exception& e) {
        return makeError(ErrorCode::ModelInvalid,
                         std::string("cannot build dlib ResNet: ") + e.what());
    }
    return std::unique_ptr<FaceEmbedder>(std::move(embedder));
}

}  // namespace examguard::vision::detail
