@NullMarked
package io.listenlog.spring.boot;

import org.jspecify.annotations.NullMarked;
