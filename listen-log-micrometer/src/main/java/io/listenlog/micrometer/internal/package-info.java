@NullMarked
package io.listenlog.micrometer.internal;

import org.jspecify.annotations.NullMarked;
