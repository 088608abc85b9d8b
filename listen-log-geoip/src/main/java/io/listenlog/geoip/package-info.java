@NullMarked
package io.listenlog.geoip;

import org.jspecify.annotations.NullMarked;
