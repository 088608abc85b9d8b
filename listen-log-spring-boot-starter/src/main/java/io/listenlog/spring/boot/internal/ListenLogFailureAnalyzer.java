package io.listenlog.spring.boot.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a refused {@code listenlog.*} property as Spring Boot reports an invalid one, without a secret's value. */
public final class ListenLogFailureAnalyzer extends AbstractFailureAnalyzer<InvalidListenLogProperty> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidListenLogProperty cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
