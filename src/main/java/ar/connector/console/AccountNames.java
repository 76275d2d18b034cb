package ar.connector.console;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.stereotype.Component;

import ar.connector.api.ApiCallException;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.TtlCache;
import ar.connector.links.Link;

/**
 * The names a merchant gave their warehouses and price lists in Contabilium, so pages say «Depósito
 * Norte» instead of an id. Read once per account every ten minutes; when Contabilium cannot be
 * reached the page falls back to the number.
 */
@Component
class AccountNames {

    private static final Duration TTL = Duration.ofMinutes(10);

    private final ContabiliumClient contabilium;
    private final TtlCache<String, Map<Long, String>> cache = new TtlCache<>(TTL, 1000);

    AccountNames(ContabiliumClient contabilium) {
        this.contabilium = contabilium;
    }

    /** «Depósito Norte», or "N° 7" when the name cannot be read. */
    String warehouse(Link link, long id) {
        return name(link, "depositos", id, account -> byId(contabilium.depositos(account),
                d -> d.id(), d -> d.nombre()));
    }

    /** «Lista web», or "N° 1" when the name cannot be read. */
    String priceList(Link link, long id) {
        return name(link, "listas", id, account -> byId(contabilium.listasDePrecios(account),
                l -> l.id(), l -> l.nombre()));
    }

    private String name(Link link, String kind, long id, Function<ContabiliumAccount, Map<Long, String>> read) {
        ContabiliumAccount account = new ContabiliumAccount(link.getContabiliumClientId(), link.getContabiliumClientSecret());
        try {
            String name = cache.computeIfAbsent(link.getContabiliumClientId() + "|" + kind, key -> read.apply(account)).get(id);
            return name == null || name.isBlank() ? "N° " + id : "«" + name + "»";
        } catch (ApiCallException unreachable) {
            return "N° " + id;
        }
    }

    private static <T> Map<Long, String> byId(List<T> items, Function<T, Long> id, Function<T, String> name) {
        return items.stream().filter(i -> id.apply(i) != null)
                .collect(Collectors.toMap(id, i -> name.apply(i) == null ? "" : name.apply(i), (a, b) -> a));
    }
}
