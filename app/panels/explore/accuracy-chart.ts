/** How the panel's accuracy charts look: y from 0 to 1 (shown in percent), a marker per point; hover or arrow keys show the values. */
export const ACCURACY_CHART = { cls: 'x', markers: true, yMin: 0, yMax: 1, yTicks: [0, 0.25, 0.5, 0.75, 1] };
