package ar.connector.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ar.connector.links.Link;
import ar.connector.links.LinkEvents;
import ar.connector.links.LinkRepository;

/** WebhookLinks: one read per store code per TTL; any link event or the TTL forgets what was held. */
class WebhookLinksTest {

    private final LinkRepository repository = mock(LinkRepository.class);

    @Test
    void holdsALookUpForItsTtlAndForgetsItOnAnyLinkEvent() throws Exception {
        Link first = link(7L, "tienda", "token-1", "Cuenta@Example.com");
        when(repository.findByActiveStoreCode("tienda")).thenReturn(Optional.of(first));
        WebhookLinks links = new WebhookLinks(repository, Duration.ofMillis(300));

        assertThat(links.find("tienda")).hasValueSatisfying(l -> {
            assertThat(l.id()).isEqualTo(7L);
            assertThat(l.hooksToken()).isEqualTo("token-1");
            assertThat(l.contabiliumAccount()).isEqualTo("cuenta@example.com");
        });
        assertThat(links.find("tienda")).isPresent();
        verify(repository, times(1)).findByActiveStoreCode("tienda");

        // Changed: the event empties the cache, the next request reads the new token.
        Link changed = link(7L, "tienda", "token-2", "cuenta@example.com");
        when(repository.findByActiveStoreCode("tienda")).thenReturn(Optional.of(changed));
        links.onSaved(new LinkEvents.Saved(7L));
        assertThat(links.find("tienda")).hasValueSatisfying(l -> assertThat(l.hooksToken()).isEqualTo("token-2"));
        verify(repository, times(2)).findByActiveStoreCode("tienda");

        // Unlinked: gone at once.
        when(repository.findByActiveStoreCode("tienda")).thenReturn(Optional.empty());
        links.afterUnlinked(new LinkEvents.Unlinked(7L, "tienda", "login", "auth"));
        assertThat(links.find("tienda")).isEmpty();
        // An unknown store is held as unknown, for the TTL only (another replica may link it).
        assertThat(links.find("tienda")).isEmpty();
        verify(repository, times(3)).findByActiveStoreCode("tienda");
        when(repository.findByActiveStoreCode("tienda")).thenReturn(Optional.of(changed));
        Thread.sleep(400);
        assertThat(links.find("tienda")).isPresent();
        verify(repository, times(4)).findByActiveStoreCode("tienda");
    }

    private static Link link(long id, String code, String token, String clientId) {
        Link link = mock(Link.class);
        when(link.getId()).thenReturn(id);
        when(link.isActive()).thenReturn(true);
        when(link.getJumpsellerStoreCode()).thenReturn(code);
        when(link.getJumpsellerHooksToken()).thenReturn(token);
        when(link.getContabiliumClientId()).thenReturn(clientId);
        return link;
    }
}
