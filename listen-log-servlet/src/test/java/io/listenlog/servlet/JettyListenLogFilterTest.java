package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;

class JettyListenLogFilterTest extends ListenLogFilterContract {

    @Override
    ServletContainer start(ListenLogger listenLogger, String... trustedProxies) throws Exception {
        return JettyContainer.start(listenLogger, trustedProxies);
    }
}
