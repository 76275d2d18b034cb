package ar.connector.jumpseller;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;

import org.junit.jupiter.api.Test;

class JsModelTimeTest {

    @Test
    void readsTheUtcFormatJumpsellerSendsInAnswersAndWebhooks() {
        assertThat(JsModel.time("2023-02-10 13:56:35 UTC")).map(OffsetDateTime::toInstant)
                .contains(Instant.parse("2023-02-10T13:56:35Z"));
    }

    @Test
    void readsIsoAndNumericOffsetsToo() {
        assertThat(JsModel.time("2026-03-01T10:00:00-03:00")).map(OffsetDateTime::toInstant)
                .contains(Instant.parse("2026-03-01T13:00:00Z"));
        assertThat(JsModel.time("2026-11-27 10:15:00 -0300")).map(OffsetDateTime::toInstant)
                .contains(Instant.parse("2026-11-27T13:15:00Z"));
    }

    @Test
    void anythingElseIsNoDate() {
        assertThat(JsModel.time("10/02/2023")).isEmpty();
        assertThat(JsModel.time(" ")).isEmpty();
        assertThat(JsModel.time(null)).isEmpty();
    }
}
