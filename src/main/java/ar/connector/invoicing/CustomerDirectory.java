package ar.connector.invoicing;

import java.text.Normalizer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;
import ar.connector.invoicing.fiscal.Buyer;
import ar.connector.invoicing.fiscal.TaxDocument;

/**
 * Finds or registers the buyer as a Contabilium customer, without duplicates: by document, created
 * once, updated when the order states another IVA condition or document type. Anonymous consumidores
 * finales share one generic customer per account. Look-ups are cached, so a bulk run asks once per
 * distinct buyer.
 */
@Component
public class CustomerDirectory {

    static final String GENERIC_NAME = "Consumidor Final";
    static final String GENERIC_DNI = "0";

    private final ContabiliumClient contabilium;
    private final JdbcTemplate jdbc;
    private final TtlCache<String, CbModel.Cliente> byDocument = new TtlCache<>(Duration.ofHours(1), 50_000);
    private final TtlCache<String, List<CbModel.Provincia>> provinces = new TtlCache<>(Duration.ofHours(12), 100);

    public CustomerDirectory(ContabiliumClient contabilium, JdbcTemplate jdbc) {
        this.contabilium = contabilium;
        this.jdbc = jdbc;
    }

    public long resolve(ContabiliumAccount account, Buyer buyer) {
        if (buyer.anonymous() || buyer.document().isEmpty()) {
            return genericCustomer(account);
        }
        TaxDocument doc = buyer.document().get();
        String key = account.clientId().toLowerCase() + "|" + doc.tipo() + "|" + doc.numero();
        CbModel.Cliente wanted = toCliente(account, buyer, null);
        Optional<CbModel.Cliente> known = byDocument.get(key);
        if (known.isEmpty()) {
            known = contabilium.clienteByDoc(account, doc.tipo(), doc.numero());
        }
        if (known.isPresent()) {
            CbModel.Cliente existing = known.get();
            if (!same(existing.condicionIva(), wanted.condicionIva()) || !same(existing.tipoDoc(), wanted.tipoDoc())) {
                // The order's stated condition wins (SPEC §4); Factura A needs it stored right.
                CbModel.Cliente updated = toCliente(account, buyer, existing.id());
                contabilium.updateCliente(account, existing.id(), updated);
                existing = updated;
            }
            byDocument.put(key, existing);
            return existing.id();
        }
        long id;
        try {
            id = contabilium.createCliente(account, wanted);
        } catch (ContabiliumClient.DuplicateCustomerException duplicate) {
            CbModel.Cliente existing = contabilium.clienteByDoc(account, doc.tipo(), doc.numero())
                    .orElseThrow(() -> new IllegalStateException(
                            "Contabilium says the customer " + doc.tipo() + " " + doc.numero()
                                    + " exists but does not find it"));
            byDocument.put(key, existing);
            return existing.id();
        }
        byDocument.put(key, toCliente(account, buyer, id));
        return id;
    }

    private long genericCustomer(ContabiliumAccount account) {
        String key = account.clientId().toLowerCase();
        List<Long> stored = jdbc.queryForList(
                "select generic_customer_id from contabilium_account where client_id = ? and generic_customer_id is not null",
                Long.class, key);
        if (!stored.isEmpty()) {
            return stored.get(0);
        }
        CbModel.Cliente generic = new CbModel.Cliente(null, GENERIC_NAME, "CF", "DNI", GENERIC_DNI, "F", null, null,
                null, null, 10L, null, null);
        long id;
        try {
            id = contabilium.createCliente(account, generic);
        } catch (ContabiliumClient.DuplicateCustomerException duplicate) {
            id = contabilium.clienteByDoc(account, "DNI", GENERIC_DNI).map(CbModel.Cliente::id)
                    .orElseThrow(() -> new IllegalStateException("The generic customer exists but cannot be found"));
        }
        // The caller holds the account's lock row, which exists: store the id for every later order.
        jdbc.update("update contabilium_account set generic_customer_id = ? where client_id = ?", id, key);
        return id;
    }

    private CbModel.Cliente toCliente(ContabiliumAccount account, Buyer buyer, Long id) {
        TaxDocument doc = buyer.document().orElseThrow();
        return new CbModel.Cliente(id, buyer.razonSocial(), buyer.condicionIva(), doc.tipo(), doc.numero(),
                buyer.personeria(), buyer.email(), buyer.phone(), buyer.address(), buyer.postal(), 10L,
                provinceId(account, buyer.region()), buyer.city());
    }

    private Long provinceId(ContabiliumAccount account, String region) {
        if (region == null || region.isBlank()) {
            return null;
        }
        String wanted = ALIASES.getOrDefault(normalize(region), normalize(region));
        List<CbModel.Provincia> list = provinces.computeIfAbsent(account.clientId().toLowerCase(),
                k -> contabilium.provincias(account));
        for (CbModel.Provincia provincia : list) {
            String name = normalize(provincia.nombre());
            if (name.equals(wanted) || ALIASES.getOrDefault(name, name).equals(wanted)) {
                return provincia.id();
            }
        }
        return null;
    }

    private static final Map<String, String> ALIASES = Map.of(
            "ciudad autonoma de buenos aires", "capital federal",
            "caba", "capital federal",
            "ciudad de buenos aires", "capital federal",
            "buenos aires ciudad", "capital federal",
            "provincia de buenos aires", "buenos aires",
            "tierra del fuego, antartida e islas del atlantico sur", "tierra del fuego");

    static String normalize(String value) {
        return Normalizer.normalize(value, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase().trim();
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equalsIgnoreCase(b);
    }
}
