#include "archive/timestamp.h"

#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ts.h>

#include <fmt/format.h>

#include "openssl_util.h"
#include "station/platform/platform_client.h"

namespace examguard::archive {

using station::ErrorCode;
using station::fail;
using namespace detail;

namespace {

struct TsFree {
    void operator()(TS_REQ* p) const { TS_REQ_free(p); }
    void operator()(TS_RESP* p) const { TS_RESP_free(p); }
    void operator()(TS_MSG_IMPRINT* p) const { TS_MSG_IMPRINT_free(p); }
    void operator()(TS_VERIFY_CTX* p) const { TS_VERIFY_CTX_free(p); }
    void operator()(TS_TST_INFO* p) const { TS_TST_INFO_free(p); }
    void operator()(PKCS7* p) const { PKCS7_free(p); }
    void operator()(X509_ALGOR* p) const { X509_ALGOR_free(p); }
    void operator()(ASN1_INTEGER* p) const { ASN1_INTEGER_free(p); }
};
template <typename T>
using TsOwned = std::unique_ptr<T, TsFree>;

// The CMS's one SignerInfo and the SHA-256 of its signature value (the imprint).
struct SignedData {
    Owned<CMS_ContentInfo> cms;
    CMS_SignerInfo* signer = nullptr;
    unsigned char imprint[SHA256_DIGEST_LENGTH] = {};
};

Expected<SignedData> signedData(std::span<const unsigned char> cmsDer) {
    SignedData out;
    std::string error;
    out.cms = parseCms(cmsDer, error);
    if (!out.cms) {
        return fail(ErrorCode::BadInput, error);
    }
    STACK_OF(CMS_SignerInfo)* signers = CMS_get0_SignerInfos(out.cms.get());
    if (signers == nullptr || sk_CMS_SignerInfo_num(signers) != 1) {
        return fail(ErrorCode::BadInput, "the signature must have exactly one signer");
    }
    out.signer = sk_CMS_SignerInfo_value(signers, 0);
    const ASN1_OCTET_STRING* value = CMS_SignerInfo_get0_signature(out.signer);
    if (value == nullptr || ASN1_STRING_length(value) <= 0) {
        return fail(ErrorCode::BadInput, "the signature has no signature value");
    }
    SHA256(ASN1_STRING_get0_data(value), static_cast<std::size_t>(ASN1_STRING_length(value)),
           out.imprint);
    return out;
}

template <typename T, int (*Encode)(const T*, unsigned char**)>
Expected<Bytes> encode(const T* object, std::string_view what) {
    unsigned char* der = nullptr;
    const int n = Encode(object, &der);
    if (n <= 0) {
        return fail(ErrorCode::Crypto, opensslError(fmt::format("cannot encode {}", what)));
    }
    Bytes out(der, der + n);
    OPENSSL_free(der);
    return out;
}

std::time_t utcSeconds(const ASN1_GENERALIZEDTIME* time) {
    std::tm tm{};
    if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) {
        return 0;
    }
    return timegm(&tm);
}

}  // namespace

Expected<Bytes> makeTimestampQuery(std::span<const unsigned char> cmsDer) {
    auto data = signedData(cmsDer);
    if (!data) {
        return tl::unexpected(data.error());
    }
    // A random nonce ties the reply to this request.
    unsigned char nonceBytes[8];
    if (RAND_bytes(nonceBytes, sizeof nonceBytes) != 1) {
        return fail(ErrorCode::Crypto, opensslError("no random bytes for the time-stamp nonce"));
    }
    Owned<BIGNUM> nonceNumber(BN_bin2bn(nonceBytes, sizeof nonceBytes, nullptr));
    TsOwned<ASN1_INTEGER> nonce(nonceNumber ? BN_to_ASN1_INTEGER(nonceNumber.get(), nullptr)
                                            : nullptr);
    TsOwned<TS_REQ> req(TS_REQ_new());
    TsOwned<TS_MSG_IMPRINT> imprint(TS_MSG_IMPRINT_new());
    TsOwned<X509_ALGOR> algorithm(X509_ALGOR_new());
    const bool built =
        nonce && req && imprint && algorithm &&
        X509_ALGOR_set0(algorithm.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) == 1 &&
        TS_MSG_IMPRINT_set_algo(imprint.get(), algorithm.get()) == 1 &&
        TS_MSG_IMPRINT_set_msg(imprint.get(), data->imprint, sizeof data->imprint) == 1 &&
        TS_REQ_set_version(req.get(), 1) == 1 &&
        TS_REQ_set_msg_imprint(req.get(), imprint.get()) == 1 &&
        TS_REQ_set_nonce(req.get(), nonce.get()) == 1 && TS_REQ_set_cert_req(req.get(), 1) == 1;
    if (!built) {
        return fail(ErrorCode::Crypto, opensslError("cannot build the time-stamp request"));
    }
    return encode<TS_REQ, i2d_TS_REQ>(req.get(), "the time-stamp request");
}

Expected<Bytes> attachTimestamp(std::span<const unsigned char> cmsDer,
                                std::span<const unsigned char> queryDer,
                                std::span<const unsigned char> replyDer) {
    auto data = signedData(cmsDer);
    if (!data) {
        return tl::unexpected(data.error());
    }
    const unsigned char* q = queryDer.data();
    TsOwned<TS_REQ> req(d2i_TS_REQ(nullptr, &q, static_cast<long>(queryDer.size())));
    if (!req) {
        return fail(ErrorCode::BadInput, opensslError("the time-stamp request is damaged"));
    }
    const unsigned char* r = replyDer.data();
    TsOwned<TS_RESP> reply(d2i_TS_RESP(nullptr, &r, static_cast<long>(replyDer.size())));
    if (!reply || r != replyDer.data() + replyDer.size()) {
        return fail(ErrorCode::BadInput,
                    opensslError(fmt::format("the time-stamping authority's reply ({} bytes) is "
                                             "not an RFC 3161 TimeStampResp",
                                             replyDer.size())));
    }
    // Status granted, version, our imprint and our nonce; the TSA's signature is left to the
    // verifier, who chooses which TSA to trust.
    TsOwned<TS_VERIFY_CTX> ctx(TS_REQ_to_TS_VERIFY_CTX(req.get(), nullptr));
    if (!ctx) {
        return fail(ErrorCode::Crypto, opensslError("cannot check the time-stamp reply"));
    }
    TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
    if (TS_RESP_verify_response(ctx.get(), reply.get()) != 1) {
        return fail(ErrorCode::Invalid,
                    opensslError("the time-stamping authority refused or answered another "
                                 "request"));
    }
    PKCS7* token = TS_RESP_get_token(reply.get());
    auto tokenDer = encode<PKCS7, i2d_PKCS7>(token, "the time-stamp token");
    if (!tokenDer) {
        return tl::unexpected(tokenDer.error());
    }
    if (CMS_unsigned_get_attr_by_NID(data->signer, NID_id_smime_aa_timeStampToken, -1) >= 0) {
        return fail(ErrorCode::Invalid, "the signature already carries a time-stamp");
    }
    if (CMS_unsigned_add1_attr_by_NID(data->signer, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE,
                                      tokenDer->data(), static_cast<int>(tokenDer->size())) != 1) {
        return fail(ErrorCode::Crypto, opensslError("cannot add the time-stamp token"));
    }
    return encode<CMS_ContentInfo, i2d_CMS_ContentInfo>(data->cms.get(), "the signature");
}

TimestampCheck checkTimestamp(std::span<const unsigned char> cmsDer, std::string_view tsaTrustPem) {
    TimestampCheck check;
    auto data = signedData(cmsDer);
    if (!data) {
        check.error = data.error().detail;
        return check;
    }
    const int index =
        CMS_unsigned_get_attr_by_NID(data->signer, NID_id_smime_aa_timeStampToken, -1);
    if (index < 0) {
        return check;
    }
    check.present = true;
    if (CMS_unsigned_get_attr_by_NID(data->signer, NID_id_smime_aa_timeStampToken, index) >= 0) {
        check.error = "the signature carries more than one time-stamp";
        return check;
    }
    X509_ATTRIBUTE* attribute = CMS_unsigned_get_attr(data->signer, index);
    const ASN1_TYPE* value =
        X509_ATTRIBUTE_count(attribute) == 1 ? X509_ATTRIBUTE_get0_type(attribute, 0) : nullptr;
    if (value == nullptr || value->type != V_ASN1_SEQUENCE) {
        check.error = "the time-stamp attribute does not hold one token";
        return check;
    }
    const unsigned char* p = value->value.sequence->data;
    const auto length = static_cast<long>(value->value.sequence->length);
    TsOwned<PKCS7> token(d2i_PKCS7(nullptr, &p, length));
    TsOwned<TS_TST_INFO> info(token ? PKCS7_to_TS_TST_INFO(token.get()) : nullptr);
    if (!info) {
        check.error = opensslError("the time-stamp token is damaged");
        return check;
    }
    check.at = utcSeconds(TS_TST_INFO_get_time(info.get()));
    check.time = isoTime(TS_TST_INFO_get_time(info.get()));
    if (STACK_OF(X509)* signers = PKCS7_get0_signers(token.get(), nullptr, 0)) {
        if (sk_X509_num(signers) == 1) {
            check.authority = nameText(X509_get_subject_name(sk_X509_value(signers, 0)));
        }
        sk_X509_free(signers);
    }
    ERR_clear_error();
    const X509_ALGOR* algorithm = TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(info.get()));
    const ASN1_OBJECT* algorithmObject = nullptr;
    X509_ALGOR_get0(&algorithmObject, nullptr, nullptr, algorithm);
    if (OBJ_obj2nid(algorithmObject) != NID_sha256) {
        check.error = "the time-stamp's imprint is not SHA-256";
        return check;
    }

    const auto verify = [&](int flags, X509_STORE* store) {
        TsOwned<TS_VERIFY_CTX> ctx(TS_VERIFY_CTX_new());
        auto* imprint =
            static_cast<unsigned char*>(OPENSSL_memdup(data->imprint, sizeof data->imprint));
        TS_VERIFY_CTX_set_flags(ctx.get(), flags);
        TS_VERIFY_CTX_set_imprint(ctx.get(), imprint, sizeof data->imprint);
        if (store != nullptr) {
            TS_VERIFY_CTX_set_store(ctx.get(), store);  // the context owns it now
        }
        return TS_RESP_verify_token(ctx.get(), token.get()) == 1;
    };
    if (!verify(TS_VFY_VERSION | TS_VFY_IMPRINT, nullptr)) {
        check.error = opensslError("the time-stamp does not cover this signature");
        return check;
    }
    check.intact = true;
    if (tsaTrustPem.empty()) {
        check.error = "no TSA trust anchor given: the time-stamping authority was not checked";
        return check;
    }
    auto anchors = readCertificates(tsaTrustPem, "the TSA trust anchor");
    if (!anchors || sk_X509_num(anchors->get()) == 0) {
        check.error =
            anchors ? "the TSA trust anchor file holds no certificate" : anchors.error().detail;
        return check;
    }
    X509_STORE* store = X509_STORE_new();
    for (int i = 0; i < sk_X509_num(anchors->get()); ++i) {
        X509_STORE_add_cert(store, sk_X509_value(anchors->get(), i));
    }
    if (check.at != 0) {
        // Checked when it stamped: the archive outlives the TSA's certificate.
        X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), check.at);
    }
    if (!verify(TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_SIGNATURE, store)) {
        check.error =
            opensslError("the time-stamp is not signed by a TSA chaining to the TSA trust anchor");
        return check;
    }
    check.trusted = true;
    check.error.clear();
    return check;
}

// Posts a time-stamp query to an RFC 3161 authority over HTTP(S) and returns its reply.
SealOptions::Timestamper httpTimestamper(const std::string& url) {
    return [url](const std::vector<unsigned char>& query)
               -> station::Expected<std::vector<unsigned char>> {
        station::platform::CurlTransport transport;
        auto reply =
            transport.post(url, {{"Content-Type", "application/timestamp-query"}},
                           std::string(query.begin(), query.end()), std::chrono::seconds(30));
        if (!reply) {
            return station::fail(
                station::ErrorCode::Io,
                fmt::format("time-stamping authority {}: {}", url, reply.error().detail));
        }
        if (reply->status != 200) {
            return station::fail(
                station::ErrorCode::Io,
                fmt::format("time-stamping authority {} answered HTTP {}", url, reply->status));
        }
        return std::vector<unsigned char>(reply->body.begin(), reply->body.end());
    };
}

}  // namespace examguard::archive
