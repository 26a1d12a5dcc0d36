package dev.cacheaside.agent.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

/**
 * A self-signed certificate, for 127.0.0.1 unless another name is given, as PEM files for redis-server and a
 * trust store for the agent.
 */
final class TlsMaterial {

    static final String TRUST_PASSWORD = "trust-pass";
    private static final String KEY_PASSWORD = "key-pass";

    final Path certificate;
    final Path privateKey;
    final Path trustStore;

    private TlsMaterial(Path certificate, Path privateKey, Path trustStore) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.trustStore = trustStore;
    }

    static TlsMaterial create(Path dir, String name) throws IOException, InterruptedException,
            GeneralSecurityException {
        return create(dir, name, "CN=127.0.0.1", "ip:127.0.0.1,dns:localhost");
    }

    /** A certificate with the given subject and subject alternative names ({@code dns:evil.example}). */
    static TlsMaterial create(Path dir, String name, String subject, String alternativeNames)
            throws IOException, InterruptedException, GeneralSecurityException {
        Path keyStore = dir.resolve(name + ".p12");
        Path certificate = dir.resolve(name + ".crt");
        Path trustStore = dir.resolve(name + "-trust.p12");
        keytool("-genkeypair", "-alias", "redis", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", subject, "-ext", "SAN=" + alternativeNames, "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", KEY_PASSWORD, "-keypass", KEY_PASSWORD);
        keytool("-exportcert", "-alias", "redis", "-keystore", keyStore.toString(), "-storepass", KEY_PASSWORD,
                "-rfc", "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "redis", "-file", certificate.toString(), "-keystore",
                trustStore.toString(), "-storetype", "PKCS12", "-storepass", TRUST_PASSWORD);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, KEY_PASSWORD.toCharArray());
        }
        Key key = store.getKey("redis", KEY_PASSWORD.toCharArray());
        Path privateKey = dir.resolve(name + ".key");
        Files.writeString(privateKey, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        return new TlsMaterial(certificate, privateKey, trustStore);
    }

    /** redis-server arguments for a TLS port with this certificate. */
    List<String> serverArguments(int tlsPort) {
        return List.of("--tls-port", String.valueOf(tlsPort), "--tls-cert-file", certificate.toString(),
                "--tls-key-file", privateKey.toString(), "--tls-ca-cert-file", certificate.toString(),
                "--tls-auth-clients", "no");
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(Jdks.current().resolve("bin/keytool").toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
