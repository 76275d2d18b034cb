package ar.connector.links;

import java.math.BigDecimal;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A link as the admin API answers it: the request without any secret, plus id and timestamps. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LinkView(
        long id,
        String name,
        Contabilium contabilium,
        Jumpseller jumpseller,
        Settings settings,
        boolean active,
        Instant createdAt,
        Instant updatedAt,
        Instant unlinkedAt) {

    public record Contabilium(String clientId) {
    }

    public record Jumpseller(String storeCode, String login) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Settings(
            boolean includeShippingCost,
            String shippingConceptCode,
            BigDecimal defaultIva,
            Long puntoDeVentaId,
            Long depositoId,
            String condicionDeVenta,
            Long listaDePreciosId,
            boolean autoInvoice,
            boolean emailReceipts,
            String alertEmail,
            boolean autoCreditNote) {
    }

    static LinkView of(Link link) {
        LinkSettings s = link.getSettings();
        return new LinkView(link.getId(), link.getName(),
                new Contabilium(link.getContabiliumClientId()),
                new Jumpseller(link.getJumpsellerStoreCode(), link.getJumpsellerLogin()),
                new Settings(s.isIncludeShippingCost(), s.getShippingConceptCode(), s.getDefaultIva().stripTrailingZeros(),
                        s.getPuntoDeVentaId(), s.getDepositoId(), s.getCondicionDeVenta(), s.getListaDePreciosId(),
                        s.isAutoInvoice(), s.isEmailReceipts(), s.getAlertEmail(), s.isAutoCreditNote()),
                link.isActive(), link.getCreatedAt(), link.getUpdatedAt(), link.getUnlinkedAt());
    }
}
