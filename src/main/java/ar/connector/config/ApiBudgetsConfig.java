package ar.connector.config;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

import ar.connector.api.ApiBudgets;
import ar.connector.api.SharedBudgets;

/** Chooses where the API clients' budgets live ({@code connector.api.shared-budgets}). */
@Configuration(proxyBeanMethods = false)
public class ApiBudgetsConfig {

    private static final Logger log = LoggerFactory.getLogger(ApiBudgetsConfig.class);

    @Bean
    ApiBudgets apiBudgets(ConnectorProperties properties, DataSource dataSource) throws MetaDataAccessException {
        ConnectorProperties.Api api = properties.api();
        String database = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
        boolean postgres = "PostgreSQL".equalsIgnoreCase(database);
        boolean shared = switch (api.sharedBudgets()) {
            case AUTO -> postgres;
            case FALSE -> false;
            case TRUE -> {
                if (!postgres) {
                    throw new IllegalStateException("connector.api.shared-budgets=true needs a PostgreSQL datasource; this one is "
                            + database + " (use auto or false)");
                }
                yield true;
            }
        };
        if (!shared) {
            log.info("API rate-limit budgets are kept in this process ({})", database);
            return ApiBudgets.inMemory();
        }
        log.info("API rate-limit budgets are shared by every replica through the database (margin {} ms)",
                api.budgetMargin().toMillis());
        return new SharedBudgets(dataSource, api.budgetMargin());
    }
}
