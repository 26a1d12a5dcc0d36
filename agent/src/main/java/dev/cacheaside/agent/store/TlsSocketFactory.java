package dev.cacheaside.agent.store;

import dev.cacheaside.agent.config.RedisSettings;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/** An SSL socket factory from the trust and key stores named in {@code redis.tls}. */
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

    private static KeyStore load(String path, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(path.endsWith(".jks") ? "JKS" : "PKCS12");
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            store.load(in, password == null ? null : password.toCharArray());
        }
        return store;
    }
}
