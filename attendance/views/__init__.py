"""Pages of the attendance chapter, one module per part: roll (daily roll,
records, disputes, monthly sheet, calendars), leave, outing (slips and
checks), events (patrols, training and marketing events)."""
