@NullMarked
package io.listenlog.redis.internal;

import org.jspecify.annotations.NullMarked;
