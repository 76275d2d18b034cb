package ar.connector.invoicing;

import java.util.function.Supplier;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** Runs a step in a transaction of its own, committed when it returns, whatever surrounds it. */
@Component
public class Tx {

    private final TransactionTemplate template;

    public Tx(PlatformTransactionManager transactions) {
        this.template = new TransactionTemplate(transactions);
        this.template.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    public <T> T call(Supplier<T> step) {
        return template.execute(status -> step.get());
    }

    public void run(Runnable step) {
        template.executeWithoutResult(status -> step.run());
    }
}
