package dev.cacheaside.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** A parsed {@code redis://} or {@code rediss://} URI: {@code [user[:password]@]host[:port][/db]}. */
public final class RedisUri {

    private final boolean tls;
    private final String host;
    private final int port;
    private final String user;
    private final String password;
    private final int database;

    private RedisUri(boolean tls, String host, int port, String user, String password, int database) {
        this.tls = tls;
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
        this.database = database;
    }

    /** Parses a URI, or throws {@link IllegalArgumentException} whose message never holds the password. */
    public static RedisUri parse(String text) {
        URI uri;
        try {
            uri = new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: '" + mask(text) + "'");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme)) {
            throw new IllegalArgumentException("scheme must be redis:// or rediss://, was '" + mask(text) + "'");
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in '" + mask(text) + "'");
        }
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            String rawUser = colon < 0 ? userInfo : userInfo.substring(0, colon);
            user = rawUser.isEmpty() ? null : decode(rawUser);
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        int database = 0;
        String path = uri.getPath();
        if (path != null && path.length() > 1) {
            try {
                database = Integer.parseInt(path.substring(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("database must be a number, as in redis://host:6379/2, was '"
                        + mask(text) + "'");
            }
        }
        int port = uri.getPort() < 0 ? 6379 : uri.getPort();
        return new RedisUri("rediss".equals(scheme), uri.getHost(), port, user, password, database);
    }

    /** The URI with any password replaced by {@code ***}, safe for logs. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        int scheme = text.indexOf("://");
        int at = text.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return text;
        }
        String userInfo = text.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        if (colon < 0) {
            return text;
        }
        return text.substring(0, scheme + 3) + userInfo.substring(0, colon) + ":***" + text.substring(at);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), "UTF-8");
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException("every JVM has UTF-8", e);
        }
    }

    public boolean tls() {
        return tls;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public int database() {
        return database;
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (user == null ? "" : user)
                + (password == null ? (user == null ? "" : "@") : ":***@") + host + ":" + port
                + (database == 0 ? "" : "/" + database);
    }
}
