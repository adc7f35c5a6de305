package io.kbackup.testkit.servers;

import java.util.List;
import java.util.Map;

/**
 * An S3 endpoint on 127.0.0.1 as the test kit itself sees it, with one pair of keys: what a test
 * asks the server directly, past the provider under test (the multipart uploads in progress and
 * their parts). Signed with Signature Version 4, so the test kit needs no AWS SDK; an emulator that
 * does not check signatures (S3Mock) takes any keys. Immutable.
 *
 * @param url {@code http://127.0.0.1:<port>}
 * @param region the region requests are signed for
 * @param accessKey the access key id
 * @param secretKey the secret access key
 */
public record S3Endpoint(String url, String region, String accessKey, String secretKey) {

    /** Hides the secret. */
    @Override
    public String toString() {
        return "S3Endpoint[" + url + ", " + region + ", " + accessKey + "]";
    }

    /** The ids of the multipart uploads in progress in {@code bucket} whose key starts with {@code keyPrefix}. */
    public List<String> multipartUploads(String bucket, String keyPrefix) {
        return S3Calls.elements(call("/" + S3Calls.encode(bucket) + "?prefix=" + S3Calls.encode(keyPrefix) + "&uploads="),
                "UploadId");
    }

    /** The numbers of the parts the server holds so far for one multipart upload ({@code ListParts}). */
    public List<Integer> uploadedParts(String bucket, String key, String uploadId) {
        StringBuilder path = new StringBuilder("/").append(S3Calls.encode(bucket));
        for (String segment : key.split("/", -1)) {
            path.append('/').append(S3Calls.encode(segment));
        }
        return S3Calls.elements(call(path + "?uploadId=" + S3Calls.encode(uploadId)), "PartNumber").stream()
                .map(Integer::valueOf).toList();
    }

    private String call(String pathAndQuery) {
        S3Calls.Answer a = S3Calls.send(url, region, "s3", accessKey, secretKey, "GET", pathAndQuery, Map.of(),
                new byte[0]);
        if (!a.ok()) {
            throw new IllegalStateException(url + " refused GET " + pathAndQuery + ": HTTP " + a.status() + " " + a.body());
        }
        return a.body();
    }
}
