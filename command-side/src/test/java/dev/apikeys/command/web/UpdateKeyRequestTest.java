package dev.apikeys.command.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.apikeys.command.CreditsPatch;
import dev.apikeys.command.RateLimitPatch;
import dev.apikeys.command.UpdateApiKey;
import dev.apikeys.runtime.problem.InvalidRequest;
import dev.apikeys.runtime.problem.InvalidRequest.FieldError;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UpdateKeyRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final UUID KEY = UUID.randomUUID();

    @Test
    void namesTheMembersPresentWithTheirValuesNullRemoving() throws Exception {
        UpdateApiKey update = UpdateKeyRequest.from(JSON.readTree("""
                {"name": " deploys ", "scopes": null, "metadata": {"a": null, "b": {"c": 1}}, "allowed_cidrs": null}"""),
                KEY, "alice");

        assertThat(update).isEqualTo(new UpdateApiKey(KEY, "alice", Set.of("name", "scopes", "metadata",
                "allowed_cidrs"), "deploys", List.of(), "{\"a\":null,\"b\":{\"c\":1}}", null, null, null));
    }

    @Test
    void anAbsentMemberIsNotNamedAndNullMetadataIsAPatchThatRemovesIt() throws Exception {
        UpdateApiKey update = UpdateKeyRequest.from(JSON.readTree("{\"metadata\": null}"), KEY, "alice");

        assertThat(update.members()).containsExactly("metadata");
        assertThat(update.metadataPatch()).isEqualTo("null");
    }

    @Test
    void membersOutsideThePatchableOnesAndBadValuesAreEachNamed() {
        assertThatThrownBy(() -> UpdateKeyRequest.from(JSON.readTree("""
                {"disabled": true, "expires_in_days": 3, "name": 7, "allowed_cidrs": ["300.1.1.1"],
                 "rate_limit": {"limit": 0}, "credits": {"remaining": "1"}}"""), KEY, "alice"))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> assertThat(e.getBody().getProperties())
                        .containsEntry("errors", List.of(
                                new FieldError("disabled", "is not a member a PATCH may change"),
                                new FieldError("expires_in_days", "is not a member a PATCH may change"),
                                new FieldError("name", "must be a string"),
                                new FieldError("allowed_cidrs[0]", "must be an IPv4 or IPv6 address"),
                                new FieldError("rate_limit.limit", "must be an integer from 1 to 1000000"),
                                new FieldError("credits.remaining", "must be an integer from 0 to 1000000000"))));
    }

    @Test
    void aRateLimitMayGiveOneMemberToMergeIntoTheKeys() throws Exception {
        UpdateApiKey update = UpdateKeyRequest.from(JSON.readTree("{\"rate_limit\": {\"limit\": 9}}"), KEY, "alice");

        assertThat(update.members()).containsExactly("rate_limit");
        assertThat(update.rateLimit()).isEqualTo(new RateLimitPatch(9, null));
        assertThat(UpdateKeyRequest.from(JSON.readTree("{\"rate_limit\": null}"), KEY, "alice").rateLimit()).isNull();
    }

    @Test
    void creditsMayGiveANewGrantOrOnlyANewRefill() throws Exception {
        assertThat(UpdateKeyRequest.from(JSON.readTree("{\"credits\": {\"remaining\": 7}}"), KEY, "alice").credits())
                .isEqualTo(new CreditsPatch(7L, false, null));
        assertThat(UpdateKeyRequest.from(JSON.readTree("{\"credits\": {\"refill\": null}}"), KEY, "alice").credits())
                .isEqualTo(new CreditsPatch(null, true, null));
        assertThat(UpdateKeyRequest.from(JSON.readTree("{\"credits\": null}"), KEY, "alice").credits()).isNull();
    }

    @Test
    void aBodyThatIsNotAnObjectIsRefused() throws Exception {
        for (String body : List.of("[]", "null", "\"x\"")) {
            assertThatThrownBy(() -> UpdateKeyRequest.from(JSON.readTree(body), KEY, "alice"))
                    .isInstanceOf(InvalidRequest.class);
        }
        assertThatThrownBy(() -> UpdateKeyRequest.from(null, KEY, "alice")).isInstanceOf(InvalidRequest.class);
    }
}
