package io.kbackup.storage.s3;

import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;

/** The self-signed certificate S3Mock serves on its HTTPS port (SAN {@code localhost}), as PEM. */
final class TestCerts {

    private TestCerts() {}

    static String s3MockCertificatePem() throws Exception {
        KeyStore ks = KeyStore.getInstance("JKS");
        try (InputStream in = TestCerts.class.getResourceAsStream("/s3mock.jks")) {
            ks.load(in, "password".toCharArray());
        }
        Certificate cert = ks.getCertificate("selfsigned");
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
