package dev.cacheaside.agent.config;

import java.io.UnsupportedEncodingException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;

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
        String host = uri.getHost();
        int port = uri.getPort();
        String userInfo = uri.getRawUserInfo();
        if (host == null) {
            // java.net.URI takes a host name with '_' (legal in DNS, common in Docker and Kubernetes) for a
            // registry name and gives no host: read the authority ourselves
            String authority = uri.getRawAuthority();
            int at = authority == null ? -1 : authority.lastIndexOf('@');
            String hostPort = authority == null ? "" : authority.substring(at + 1);
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            if (!isHostName(host)) {
                throw new IllegalArgumentException("no host in '" + mask(text) + "'");
            }
            userInfo = at < 0 ? null : authority.substring(0, at);
            port = -1;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(hostPort.substring(colon + 1));
                } catch (NumberFormatException e) {
                    port = 0;
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port must be 1 to 65535, was '" + mask(text) + "'");
                }
            }
        }
        String user = null;
        String password = null;
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
        return new RedisUri("rediss".equals(scheme), host, port < 0 ? 6379 : port, user, password, database);
    }

    private static boolean isHostName(String host) {
        if (host.isEmpty()) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-'
                    || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /**
     * The text with any password replaced by {@code ***}, safe for logs, whatever its form: the user
     * information is what precedes the last {@code @}, after {@code //} when there is one before it
     * ({@code redis://}, or the typo {@code redis//}), else from the start ({@code redis:u:pw@h} shows as
     * {@code redis:***@h}); everything after its first {@code :} is masked.
     */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return text;
        }
        int slashes = text.indexOf("//");
        int start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
        int colon = text.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return text;
        }
        return text.substring(0, colon) + ":***" + text.substring(at);
    }

    private static String decode(String raw) {
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), "UTF-8");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
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
