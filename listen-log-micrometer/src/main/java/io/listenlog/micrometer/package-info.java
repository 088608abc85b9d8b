@NullMarked
package io.listenlog.micrometer;

import org.jspecify.annotations.NullMarked;
