package ar.connector.links;

import java.math.BigDecimal;

import jakarta.persistence.Embeddable;

/** The per-link settings of SPEC §2, as Contabilium's own integration screen names them. */
@Embeddable
public class LinkSettings {

    private boolean includeShippingCost;
    private String shippingConceptCode;
    private BigDecimal defaultIva;
    private Long puntoDeVentaId;
    private Long depositoId;
    private String condicionDeVenta;
    private Long listaDePreciosId;
    private boolean autoInvoice;
    private boolean emailReceipts;
    private String alertEmail;
    private boolean autoCreditNote = true;

    public LinkSettings() {
    }

    public boolean isIncludeShippingCost() {
        return includeShippingCost;
    }

    public void setIncludeShippingCost(boolean includeShippingCost) {
        this.includeShippingCost = includeShippingCost;
    }

    public String getShippingConceptCode() {
        return shippingConceptCode;
    }

    public void setShippingConceptCode(String shippingConceptCode) {
        this.shippingConceptCode = shippingConceptCode;
    }

    public BigDecimal getDefaultIva() {
        return defaultIva;
    }

    public void setDefaultIva(BigDecimal defaultIva) {
        this.defaultIva = defaultIva;
    }

    public Long getPuntoDeVentaId() {
        return puntoDeVentaId;
    }

    public void setPuntoDeVentaId(Long puntoDeVentaId) {
        this.puntoDeVentaId = puntoDeVentaId;
    }

    public Long getDepositoId() {
        return depositoId;
    }

    public void setDepositoId(Long depositoId) {
        this.depositoId = depositoId;
    }

    public String getCondicionDeVenta() {
        return condicionDeVenta;
    }

    public void setCondicionDeVenta(String condicionDeVenta) {
        this.condicionDeVenta = condicionDeVenta;
    }

    public Long getListaDePreciosId() {
        return listaDePreciosId;
    }

    public void setListaDePreciosId(Long listaDePreciosId) {
        this.listaDePreciosId = listaDePreciosId;
    }

    public boolean isAutoInvoice() {
        return autoInvoice;
    }

    public void setAutoInvoice(boolean autoInvoice) {
        this.autoInvoice = autoInvoice;
    }

    public boolean isEmailReceipts() {
        return emailReceipts;
    }

    public void setEmailReceipts(boolean emailReceipts) {
        this.emailReceipts = emailReceipts;
    }

    public boolean isAutoCreditNote() {
        return autoCreditNote;
    }

    public void setAutoCreditNote(boolean autoCreditNote) {
        this.autoCreditNote = autoCreditNote;
    }

    public String getAlertEmail() {
        return alertEmail;
    }

    public void setAlertEmail(String alertEmail) {
        this.alertEmail = alertEmail;
    }
}
