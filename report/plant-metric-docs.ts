/**
 * What each plant metric of metrics.json measures (the plants' metricsRecorder results, described in
 * docs/plants/*.md), for the report's plant table. Interlock counts are matched by pattern below.
 */
export const PLANT_METRICS: Readonly<Record<string, string>> = {
  // maglev
  x_min_m: 'smallest gap between ball and magnet over the run',
  x_max_m: 'largest gap between ball and magnet over the run',
  magnet_contact_samples: 'recorded samples with the ball held against the magnet (the gap at its lower stop)',
  floor_contact_samples: 'recorded samples with the ball resting on the floor (the gap at its upper stop)',
  // solar
  E_panel_Wh: 'energy the tracked panel collected since midnight',
  E_stepper_Wh: 'energy the stepper motor used to move the panel',
  E_net_Wh: 'tracked panel energy minus stepper energy',
  E_fixed_Wh: 'energy a panel fixed at 90° would have collected',
  E_continuous_Wh: 'energy a panel always at the beam-optimal angle would have collected',
  E_ideal5_Wh: 'energy a panel always at the best of the five positions would have collected',
  gain_vs_fixed: 'net energy of the tracked panel ÷ energy of the fixed panel',
  gain_continuous_vs_fixed: 'continuous-tracking energy ÷ fixed-panel energy',
  gain_ideal5_vs_fixed: 'ideal five-position energy ÷ fixed-panel energy',
  position_changes: 'times the displayed panel position (LCD) changed',
  // hypothermia
  target_C: 'target brain temperature',
  band_C: 'half-width of the band around the target',
  time_to_band_s: 'first time the brain temperature is within target ± band',
  time_in_band_after_entry_pct: 'share of the time after the first entry that the brain temperature stays within target ± band',
  T_brain_min_C: 'lowest brain temperature',
  T_brain_final_C: 'brain temperature at the end of the run',
  undershoot_C: 'target minus the lowest brain temperature (0 if it never went below the target)',
  undershoot_below_band_C: 'how far the lowest brain temperature went below the band (0 if never)',
  max_cooling_rate_C_per_min: 'fastest fall of the brain temperature',
  T_rectal_final_C: 'rectal (core) temperature at the end of the run',
  interlock_events: 'safety interlock activations, all kinds together',
  // robot
  path_length_m: 'distance the robot travelled (integrated true speed)',
  min_clearance_m: 'smallest distance from the robot body to a wall or obstacle',
  collisions: 'contacts of the robot body with a wall or obstacle',
  nav_status: "the navigator's last status code (docs/plants/robot.md)",
  goal_reached_reported: '1 if the navigator reported the goal reached',
  goal_unreachable_reported: '1 if the navigator reported the goal unreachable',
  time_to_status_s: "time of the navigator's final report",
  planned_route_m: 'length of the route the planner (A*) reported',
  straight_line_m: 'straight-line distance from start to goal',
  path_ratio: 'path length ÷ straight-line distance',
  final_goal_distance_m: 'distance from the robot to the goal at the end',
  goal_reached: '1 if the run ends within 100 mm of the goal',
  time_to_goal_s: 'first time the robot came within 100 mm of the goal',
};

/** The definition of a plant metric, or undefined for a key this table does not know. */
export function plantMetricDefinition(key: string): string | undefined {
  if (key in PLANT_METRICS) return PLANT_METRICS[key];
  const interlock = /^interlock_(.+)_events$/.exec(key);
  if (interlock) return `activations of the ${interlock[1].replace(/_/g, ' ')} interlock`;
  return undefined;
}
