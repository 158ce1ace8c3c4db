package dev.apikeys.runtime.security;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * Accepts a token only in the one compact form its issuer wrote: three non-empty base64url parts
 * without padding, each in its canonical encoding. Nimbus decodes leniently (padding, base64's
 * {@code +} and {@code /}, characters it skips, unused bits set in a part's last character), so
 * without this one signed token would be accepted as many strings, each a caller's distinct token
 * to the cache.
 */
final class ExactFormJwtDecoder implements JwtDecoder {

    private final JwtDecoder decoder;

    ExactFormJwtDecoder(JwtDecoder decoder) {
        this.decoder = decoder;
    }

    @Override
    public Jwt decode(String token) {
        if (!isExactCompactForm(token)) {
            throw new BadJwtException("The token is not in its exact compact form");
        }
        return decoder.decode(token);
    }

    static boolean isExactCompactForm(String token) {
        int parts = 0;
        int start = 0;
        for (int at = 0; at <= token.length(); at++) {
            if (at == token.length() || token.charAt(at) == '.') {
                if (!isCanonicalBase64Url(token, start, at)) {
                    return false;
                }
                parts++;
                start = at + 1;
            }
        }
        return parts == 3;
    }

    /** RFC 4648 section 3.5: a canonical encoding leaves the unused bits of its last character zero. */
    private static boolean isCanonicalBase64Url(String token, int from, int to) {
        int length = to - from;
        if (length == 0 || length % 4 == 1) {
            return false;
        }
        for (int at = from; at < to; at++) {
            if (valueOf(token.charAt(at)) < 0) {
                return false;
            }
        }
        int last = valueOf(token.charAt(to - 1));
        return switch (length % 4) {
            case 2 -> (last & 0b1111) == 0;
            case 3 -> (last & 0b11) == 0;
            default -> true;
        };
    }

    private static int valueOf(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    }
}
