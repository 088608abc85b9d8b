package io.listenlog.spring.boot.internal;

import io.listenlog.core.ListenStore;
import io.listenlog.jdbc.JdbcListenStore;
import io.listenlog.redis.ListenStreamConsumer;
import io.listenlog.redis.RedisStreamListenStore;
import io.listenlog.micrometer.ListenStreamConsumerMetricsBinder;
import io.listenlog.spring.boot.ListenLogProperties;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Objects;
import javax.sql.DataSource;

/**
 * The Redis Streams path, with {@code listenlog.redis.uri}: the store publishes to the stream, and the consumer (in
 * this instance unless {@code listenlog.redis.consumer.enabled=false}) writes the stream to the database.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.listenlog.redis.RedisStreamListenStore")
@ConditionalOnProperty(prefix = "listenlog.redis", name = "uri")
public class RedisStoreConfiguration {
    private static final String NOT_A_URI = "it is not a Redis URI: redis://[user:password@]host:port[/database]";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(ListenStore.class)
    RedisStreamListenStore listenLogStore(ListenLogProperties properties) {
        ListenLogProperties.Redis redis = properties.getRedis();
        RedisStreamListenStore.Builder store = Properties.build("listenlog.redis.uri", NOT_A_URI,
                () -> RedisStreamListenStore.builder(Objects.requireNonNull(redis.getUri(), "listenlog.redis.uri")));
        Properties.set("listenlog.redis.stream", redis.getStream(), store::stream);
        Properties.set("listenlog.redis.max-length", redis.getMaxLength(), store::maxLength);
        Properties.set("listenlog.redis.command-timeout", redis.getCommandTimeout(), store::commandTimeout);
        store.failFast(redis.isFailFast());
        return Properties.build("listenlog.redis.uri", NOT_A_URI, store::build);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "listenlog.redis.consumer", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    ListenStreamConsumer listenLogStreamConsumer(DataSource dataSource, ListenLogProperties properties) {
        ListenLogProperties.Redis redis = properties.getRedis();
        ListenLogProperties.Redis.Consumer settings = redis.getConsumer();
        ListenStreamConsumer.Builder consumer = Properties.build("listenlog.redis.uri", NOT_A_URI,
                () -> ListenStreamConsumer.builder(Objects.requireNonNull(redis.getUri(), "listenlog.redis.uri"),
                        JdbcListenStore.create(dataSource)));
        Properties.set("listenlog.redis.stream", redis.getStream(), consumer::stream);
        Properties.set("listenlog.redis.command-timeout", redis.getCommandTimeout(), consumer::commandTimeout);
        Properties.set("listenlog.redis.consumer.group", settings.getGroup(), consumer::group);
        Properties.set("listenlog.redis.consumer.name", settings.getName(), consumer::name);
        Properties.set("listenlog.redis.consumer.dead-letter-stream", settings.getDeadLetterStream(),
                consumer::deadLetterStream);
        Properties.set("listenlog.redis.consumer.batch-size", settings.getBatchSize(), consumer::batchSize);
        Properties.set("listenlog.redis.consumer.block", settings.getBlock(), consumer::block);
        Properties.set("listenlog.redis.consumer.claim-idle", settings.getClaimIdle(), consumer::claimIdle);
        Properties.set("listenlog.redis.consumer.max-deliveries", settings.getMaxDeliveries(), consumer::maxDeliveries);
        Properties.set("listenlog.redis.consumer.dead-letter-max-length", settings.getDeadLetterMaxLength(),
                consumer::deadLetterMaxLength);
        Properties.set("listenlog.max-listen-duration", properties.getMaxListenDuration(), consumer::maxListenDuration);
        consumer.failFast(redis.isFailFast());
        return Properties.build("listenlog.redis.uri", NOT_A_URI, () -> consumer.build().start());
    }

    /** The consumer's figures as meters, when this instance runs one and Micrometer is there. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.micrometer.core.instrument.binder.MeterBinder",
            "io.listenlog.micrometer.ListenStreamConsumerMetricsBinder"})
    static class ConsumerMetrics {

        /** Spring Boot binds meter binders once every bean exists, so the consumer is there if it will be. */
        @Bean
        MeterBinder listenLogConsumerMetrics(ApplicationContext context) {
            return registry -> context.getBeanProvider(ListenStreamConsumer.class)
                    .ifAvailable(consumer -> new ListenStreamConsumerMetricsBinder(consumer).bindTo(registry));
        }
    }
}
