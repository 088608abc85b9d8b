package io.listenlog.servlet;

import io.listenlog.core.ListenLogger;

class TomcatListenLogFilterTest extends ListenLogFilterContract {

    @Override
    ServletContainer start(ListenLogger listenLogger, String... trustedProxies) throws Exception {
        return TomcatContainer.start(listenLogger, trustedProxies);
    }
}
