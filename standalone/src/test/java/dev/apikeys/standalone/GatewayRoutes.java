package dev.apikeys.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The routing rules of deploy/gateway.conf, read from the file itself so that tests route as the
 * deployment does: which upstream a request goes to, by nginx's rules for what the file uses (an
 * exact location first, else the longest prefix; {@code $apikeys_upstream} mapped from the
 * method). Anything else in a location or map fails the read, rather than be routed wrongly.
 */
final class GatewayRoutes {

    static final Path CONF = Path.of("..", "deploy", "gateway.conf");

    private static final Pattern MAP = Pattern.compile("map \\$request_method \\$(\\w+) \\{([^}]*)}");
    private static final Pattern MAP_ENTRY = Pattern.compile("(\\S+)\\s+(\\w+);");
    private static final Pattern LOCATION = Pattern.compile("location (= )?(\\S+) \\{\\s*proxy_pass http://(\\$?\\w+);\\s*}");

    private final String methodVariable;
    private final Map<String, String> upstreamByMethod = new HashMap<>();
    private final Map<String, String> exact = new LinkedHashMap<>();
    private final Map<String, String> prefixes = new LinkedHashMap<>();

    private GatewayRoutes(String conf) {
        Matcher map = MAP.matcher(conf);
        if (!map.find()) {
            throw new IllegalStateException("no map of $request_method in " + CONF);
        }
        methodVariable = "$" + map.group(1);
        Matcher entry = MAP_ENTRY.matcher(map.group(2));
        while (entry.find()) {
            upstreamByMethod.put(entry.group(1), entry.group(2));
        }
        int locations = conf.split("location ", -1).length - 1;
        Matcher location = LOCATION.matcher(conf);
        while (location.find()) {
            (location.group(1) != null ? exact : prefixes).put(location.group(2), location.group(3));
        }
        if (exact.size() + prefixes.size() != locations || !upstreamByMethod.containsKey("default")) {
            throw new IllegalStateException(CONF + " holds locations or a map this reading does not know");
        }
    }

    static GatewayRoutes read() {
        try {
            return new GatewayRoutes(Files.readString(CONF));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The name of the upstream block the request goes to. */
    String upstream(String method, String path) {
        String target = exact.get(path);
        if (target == null) {
            target = prefixes.entrySet().stream()
                    .filter(prefix -> path.startsWith(prefix.getKey()))
                    .max(Comparator.comparingInt(prefix -> prefix.getKey().length()))
                    .map(Map.Entry::getValue)
                    .orElseThrow(() -> new IllegalStateException("no location of " + CONF + " takes " + path));
        }
        return target.equals(methodVariable) ? upstreamByMethod.getOrDefault(method, upstreamByMethod.get("default"))
                : target;
    }
}
