@NullMarked
package io.listenlog.redis;

import org.jspecify.annotations.NullMarked;
