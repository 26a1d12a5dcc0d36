package dev.cacheaside.agent.store;

import dev.cacheaside.agent.config.RedisSettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * An SSL socket factory from the trust and key stores named in {@code redis.tls}, and the host name check of
 * {@code redis.tls.verify-hostname}: neither Jedis nor a raw {@link SSLSocket} checks that the certificate
 * names the host unless told to, so without it any certificate the trust store accepts would do.
 */
final class TlsSocketFactory {

    private TlsSocketFactory() {
    }

    static SSLSocketFactory create(RedisSettings.TlsSettings tls) throws StoreException {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(tls.trustStore() == null ? null : load(tls.trustStore(), tls.trustStorePassword()));
            KeyManagerFactory keys = null;
            if (tls.keyStore() != null) {
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                char[] password = tls.keyStorePassword() == null ? new char[0] : tls.keyStorePassword().toCharArray();
                keys.init(load(tls.keyStore(), tls.keyStorePassword()), password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new StoreException("cannot set up TLS from redis.tls: " + e.getMessage(), e, true);
        }
    }

    /** SSL parameters that make the handshake fail unless the certificate names the host, as HTTPS does. */
    static SSLParameters verifyingHostname() {
        SSLParameters parameters = new SSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /** Turns the host name check on for a socket not yet handshaken, keeping its other parameters. */
    static void verifyHostname(SSLSocket socket) {
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
    }

    /** A hint for a handshake that failed because the certificate names another host; null for other failures. */
    static String hostnameHint(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = cause.getMessage();
            if (message != null && (message.startsWith("No subject alternative")
                    || message.startsWith("No name matching"))) {
                return "the server's certificate does not name the host connected to (redis.tls.verify-hostname)";
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return null;
    }

    private static KeyStore load(String path, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(path.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
