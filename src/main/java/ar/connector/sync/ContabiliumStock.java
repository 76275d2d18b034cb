package ar.connector.sync;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import ar.connector.config.ConnectorProperties;

import ar.connector.contabilium.CbModel;
import ar.connector.contabilium.ContabiliumAccount;
import ar.connector.contabilium.ContabiliumClient;

/**
 * Reads sellable stock ({@code StockConReservas}) from Contabilium. A whole account is read one
 * warehouse at a time with {@code getStockByDeposito} (50 SKUs a call, from the inventory budget),
 * several warehouses at once so the round trip does not keep the rate far below the budget;
 * a handful of SKUs named by a webhook are read with {@code getStockBySKU}, which answers every
 * warehouse of one SKU in one call.
 */
@Component
public class ContabiliumStock {

    private final ContabiliumClient contabilium;
    private final int concurrency;

    public ContabiliumStock(ContabiliumClient contabilium, ConnectorProperties properties) {
        this.contabilium = contabilium;
        this.concurrency = Math.max(1, properties.sync().concurrency());
    }

    /** Sellable units per warehouse and upper-cased SKU. */
    public record Snapshot(Map<Long, Map<String, BigDecimal>> byWarehouse, int rowsRead) {

        /** What a store shows: one warehouse, or the per-SKU sum of all when none is chosen. */
        public Map<String, BigDecimal> view(Long depositoId) {
            if (depositoId != null) {
                return byWarehouse.getOrDefault(depositoId, Map.of());
            }
            Map<String, BigDecimal> sum = new HashMap<>();
            byWarehouse.values().forEach(rows -> rows.forEach((sku, units) -> sum.merge(sku, units, BigDecimal::add)));
            return sum;
        }
    }

    /** Reads the given warehouses, or every warehouse of the account when {@code all} is true. */
    public Snapshot warehouses(ContabiliumAccount account, Collection<Long> depositos, boolean all) {
        Set<Long> ids = new LinkedHashSet<>(depositos);
        if (all) {
            contabilium.depositos(account).stream().map(CbModel.Deposito::id).forEach(ids::add);
        }
        Map<Long, Map<String, BigDecimal>> byWarehouse = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicInteger rows = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.min(concurrency, Math.max(1, ids.size())));
        try {
            List<java.util.concurrent.Future<?>> reads = new java.util.ArrayList<>();
            for (Long id : ids) {
                reads.add(pool.submit(() -> {
                    Map<String, BigDecimal> units = new HashMap<>();
                    contabilium.forEachStockRow(account, id, row -> {
                        rows.incrementAndGet();
                        if (row.codigo() != null && !row.codigo().isBlank()) {
                            units.merge(Listing.key(row.codigo()), sellable(row.stockConReservas()), BigDecimal::add);
                        }
                    });
                    byWarehouse.put(id, units);
                }));
            }
            for (java.util.concurrent.Future<?> read : reads) {
                read.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading stock", e);
        } finally {
            pool.shutdownNow();
        }
        return new Snapshot(byWarehouse, rows.get());
    }

    /** Reads just these SKUs (one call each); an SKU Contabilium does not know is left out. */
    public Snapshot skus(ContabiliumAccount account, Collection<String> skus) {
        Map<Long, Map<String, BigDecimal>> byWarehouse = new HashMap<>();
        int rows = 0;
        for (String sku : skus) {
            CbModel.StockBySku stock = contabilium.stockBySku(account, sku).orElse(null);
            if (stock == null) {
                continue;
            }
            rows++;
            for (CbModel.WarehouseStock warehouse : stock.stock() == null ? java.util.List.<CbModel.WarehouseStock>of()
                    : stock.stock()) {
                byWarehouse.computeIfAbsent(warehouse.id(), id -> new HashMap<>())
                        .merge(Listing.key(sku), sellable(warehouse.stockConReservas()), BigDecimal::add);
            }
        }
        return new Snapshot(byWarehouse, rows);
    }

    private static BigDecimal sellable(BigDecimal stockConReservas) {
        return stockConReservas == null ? BigDecimal.ZERO : stockConReservas.max(BigDecimal.ZERO);
    }
}
