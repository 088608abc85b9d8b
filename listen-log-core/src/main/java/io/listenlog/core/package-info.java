@NullMarked
package io.listenlog.core;

import org.jspecify.annotations.NullMarked;
