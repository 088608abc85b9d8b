@NullMarked
package io.listenlog.spring.boot.internal;

import org.jspecify.annotations.NullMarked;
